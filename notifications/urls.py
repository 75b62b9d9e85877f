from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<id:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path(
        "notifications/settings/", views.notification_preferences, name="notification_preferences"
    ),
    path("notifications/settings/calendar/", views.calendar_link, name="calendar_link"),
    path(
        "notifications/municipalities/<id:pk>/",
        views.reminder_settings,
        name="reminder_settings",
    ),
    # Without a login: the secret is in the address.
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
