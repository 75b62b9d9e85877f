from django.contrib import admin

from core.admin import HistoryAdmin
from schools.admin import ScopedAdminMixin

from .models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdminMixin, HistoryAdmin):
    name_accusative = "целевой показатель"
    name_forms = ("целевой показатель", "целевых показателя", "целевых показателей")
    list_display = ["name", "unit", "category", "direction", "owner", "is_active"]
    list_filter = ["category", "direction", "is_active"]
    search_fields = ["name"]
    list_select_related = ["owner"]
