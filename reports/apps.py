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
        # A published revision's public page offers its PDF: made when it is published.
        from roadmaps.signals import plan_published

        from .services import public_pdf_prepare

        plan_published.connect(public_pdf_prepare, dispatch_uid="reports.public_pdf")
