from django.contrib import admin

from vssid_portal.admin import AutocompleteWithinTheForm, FoldedKeySearch

from . import admin_support  # noqa: F401  (FAQ and news)
from .models import Agency, CollectionPoint, Employer, MedicalFacility, Province, Ward


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type"]
    search_fields = ["code", "name"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


@admin.register(Agency)
class AgencyAdmin(FoldedKeySearch, admin.ModelAdmin):
    list_display = ["code", "name", "parent", "province", "phone", "is_demo"]
    list_filter = ["province", "is_demo"]
    search_fields = ["code", "name", "search_key"]
    list_select_related = ["parent", "province"]
    autocomplete_fields = ["parent"]


# AutocompleteWithinTheForm first: it narrows what the folded search found to what the asking form accepts.
@admin.register(MedicalFacility)
class MedicalFacilityAdmin(AutocompleteWithinTheForm, FoldedKeySearch, admin.ModelAdmin):
    list_display = ["code", "name", "province", "level", "bhyt_contract", "issues_sick_leave", "is_demo"]
    list_filter = ["province", "level", "bhyt_contract", "issues_sick_leave", "is_demo"]
    search_fields = ["code", "name", "search_key"]
    list_select_related = ["province"]


@admin.register(Employer)
class EmployerAdmin(FoldedKeySearch, admin.ModelAdmin):
    list_display = ["code", "name", "tax_code", "agency", "in_arrears", "is_demo"]
    list_filter = ["province", "in_arrears", "is_demo"]
    search_fields = ["code", "tax_code", "name", "search_key"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]


@admin.register(CollectionPoint)
class CollectionPointAdmin(FoldedKeySearch, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "agency", "is_demo"]
    list_filter = ["kind", "province", "is_demo"]
    search_fields = ["code", "name", "search_key"]
    list_select_related = ["province", "agency"]
    autocomplete_fields = ["agency", "ward"]  # thousands of wards: searched, not listed
