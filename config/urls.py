from django.contrib import admin
from django.urls import include, path, register_converter

from core.converters import IdConverter
from roadmaps.views.workflow import public_roadmap

# <id:pk> in every URL with an object id: 1–19 digits within the 64-bit range, else 404.
register_converter(IdConverter, "id")

admin.site.site_header = "Дорожные карты: администрирование"
admin.site.site_title = "Дорожные карты"
admin.site.index_title = "Справочники и доступ"

urlpatterns = [
    path("accounts/", include("schools.urls_auth")),
    path("admin/", admin.site.urls),
    path("roadmaps/", include("roadmaps.urls")),
    # The public page of a published plan revision: no login (roadmaps.views.workflow).
    path("public/<str:token>/", public_roadmap, name="public_roadmap"),
    path("", include("execution.urls")),
    path("", include("reports.urls")),
    path("", include("monitoring.urls")),
    path("", include("partnerships.urls")),
    path("", include("notifications.urls")),
    path("", include("dashboard.urls")),
    path("", include("schools.urls")),
]

# No URL serves MEDIA_ROOT or the private storage: uploads are read only by views that
# check access (roadmaps.importing.views), never downloaded by path.
