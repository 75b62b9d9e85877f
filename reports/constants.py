"""Choices of the reports app."""

from django.db import models


class ReportKind(models.TextChoices):
    """What a report shows (вид отчёта)."""

    ROADMAP = "roadmap", "План в официальном виде"
    PLAN_EXECUTION = "plan_execution", "Исполнение плана"
    SCHOOL_EXECUTION = "school_execution", "Исполнение школы по всем планам"
    # A dashboard (the dashboard app): a region's municipalities, a municipality's schools
    # or one school, as the page shows it.
    DASHBOARD = "dashboard", "Сводка (мониторинг и исполнение)"


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"


CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# The layout version of every report: bumped when a template or the renderer changes what a
# file looks like, so that a finished file of an older layout is not reused.
LAYOUT_VERSION = 1
