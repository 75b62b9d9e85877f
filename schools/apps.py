from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    """Tenants (region → municipality → organisation), people and the access model."""

    name = "schools"
    verbose_name = "Организации и люди"

    def ready(self) -> None:
        from . import signals  # noqa: F401
