from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Target indicators (целевые показатели) and, later, their values and campaigns."""

    name = "monitoring"
    verbose_name = "Мониторинг"
