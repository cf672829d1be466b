from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from werkstatt.geo.models import District, Location, Municipality


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ("ags", "name", "name_dsb", "kind", "population", "population_date")
    search_fields = ("name", "name_dsb", "ags")


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ("ags", "name", "name_dsb", "kind", "district")
    list_filter = ("district", "kind")
    search_fields = ("name", "name_dsb", "ags")
    list_select_related = ("district",)


@admin.register(Location)
class LocationAdmin(SimpleHistoryAdmin):
    list_display = ("description", "street_address", "postal_code", "locality", "municipality")
    search_fields = ("description", "street_address", "locality")
    autocomplete_fields = ("municipality",)
