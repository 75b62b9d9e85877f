from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Target indicators (целевые показатели), their targets and values, monitoring
    campaigns, exam results."""

    name = "monitoring"
    verbose_name = "Мониторинг"

    def ready(self) -> None:
        # The daily digest chases the schools that have not answered a campaign and tells
        # the campaign's owner of those late: through the item sources of notifications.
        from notifications import sources

        from .reminders import SOURCE

        sources.register(SOURCE)
