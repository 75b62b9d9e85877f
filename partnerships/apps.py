from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Сетевое партнёрство"

    def ready(self) -> None:
        # The staff of a party see the network plans its agreements serve; the plan page
        # shows which agreements fulfil its «sign the agreements» measures: through the
        # hooks roadmaps offers (it never imports this app).
        from roadmaps import extensions

        from .extension import EXTENSION

        extensions.register(EXTENSION)

        # The daily digest tells of agreements about to expire and of schools still
        # without one: through the item sources of notifications.
        from notifications import sources

        from .reminders import SOURCE

        sources.register(SOURCE)
