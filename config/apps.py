"""Third-party apps as the project shows them: in Russian."""

from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    """django-axes (locking out password guessing) under a Russian name, and its records
    named in Russian where the library writes English (``__str__`` of its models, shown
    in the admin's lists and titles)."""

    verbose_name = "Блокировки входа"

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        def when(record) -> str:
            from django.utils import formats, timezone

            moment = record.attempt_time
            return formats.date_format(timezone.localtime(moment), "d.m.Y H:i") if moment else ""

        AccessAttempt.__str__ = lambda self: f"Попытки входа {self.username} · {when(self)}"
        AccessFailureLog.__str__ = lambda self: f"Неудачный вход {self.username} · {when(self)}"
        AccessLog.__str__ = lambda self: f"Вход {self.username} · {when(self)}"
