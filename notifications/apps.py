from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Уведомления"

    def ready(self) -> None:
        # Steps of a plan's life (sent for agreement, agreed, returned, approved…) are told to
        # the people who act next: roadmaps sends the signal and never imports this app.
        from roadmaps.signals import plan_event

        from .services import plan_event_told

        plan_event.connect(plan_event_told, dispatch_uid="notifications.plan_event")
