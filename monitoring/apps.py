from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Target indicators (целевые показатели), their targets and values, monitoring
    campaigns, exam results."""

    name = "monitoring"
    verbose_name = "Мониторинг"
