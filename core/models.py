"""Shared abstract models (no tables of their own)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models


class JobState(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "выполняется"
    DONE = "done", "готово"
    FAILED = "failed", "ошибка"
    CANCELLED = "cancelled", "отменено"


class Job(models.Model):
    """A piece of work done by a Celery worker (задача): an import parse, a PDF report, a
    digest. The row is the job's state: a thin task takes its id, ``core.jobs.run_job``
    moves it queued → running → done/failed, the page reads progress and the Russian
    error from it. Concrete jobs add their parameters and result."""

    FINISHED = (JobState.DONE, JobState.FAILED, JobState.CANCELLED)

    state = models.CharField(
        "состояние", max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто запустил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)
    started_at = models.DateTimeField("начата", null=True, blank=True)
    finished_at = models.DateTimeField("завершена", null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        "выполнено, %", default=0, validators=[MaxValueValidator(100)]
    )
    progress_text = models.CharField("что делается", max_length=200, blank=True)
    error = models.TextField("ошибка", blank=True)
    task_id = models.CharField("id задачи Celery", max_length=64, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED
