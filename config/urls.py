from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Дорожные карты: администрирование"
admin.site.site_title = "Дорожные карты"
admin.site.index_title = "Справочники и доступ"

urlpatterns = [
    path("accounts/", include("schools.urls_auth")),
    path("admin/", admin.site.urls),
    path("roadmaps/", include("roadmaps.urls")),
    path("", include("schools.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
