from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Главная"

    def ready(self) -> None:
        # The dashboards' cache follows plan states and school cards (``dashboard.signals``).
        from . import signals  # noqa: F401
