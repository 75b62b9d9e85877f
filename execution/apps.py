from django.apps import AppConfig


class ExecutionConfig(AppConfig):
    name = "execution"
    verbose_name = "Исполнение"

    def ready(self) -> None:
        # Records follow the schedules and assignments of plans in execution; roadmaps
        # sends the signal and never imports this app.
        from roadmaps.signals import schedule_changed

        from .services import records_follow_schedule

        schedule_changed.connect(records_follow_schedule, dispatch_uid="execution.sync_records")

        # …and the school flags: «все ШНОР» measures follow who is ШНОР.
        from schools.signals import school_flags_changed

        from .services import records_follow_school_flags

        school_flags_changed.connect(
            records_follow_school_flags, dispatch_uid="execution.school_flags"
        )

        # The plan pages show execution, a school sees the plans it owes work on, plan
        # exports add the marks per organisation when asked (``?execution=1``): through
        # the hooks roadmaps offers (it never imports this app).
        from roadmaps import extensions

        from .extension import EXTENSION

        extensions.register(EXTENSION)
