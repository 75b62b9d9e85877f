from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Отчёты и подписи"

    def ready(self) -> None:
        # The plan page offers the PDF buttons through the hooks roadmaps offers (it never
        # imports this app).
        from roadmaps import extensions

        from .extension import EXTENSION

        extensions.register(EXTENSION)
