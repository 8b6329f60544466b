from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Person, User


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["bhxh_code", "full_name", "birth_date", "sex", "id_number", "province"]
    search_fields = ["bhxh_code", "name_key", "id_number"]
    list_filter = ["sex", "province"]
    list_select_related = ["province"]
    raw_id_fields = ["ward"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (("BHXH", {"fields": ("person", "agency", "facility")}),)
    list_display = ["username", "first_name", "last_name", "agency", "facility", "is_staff", "is_active"]
    list_select_related = ["agency", "facility"]
    raw_id_fields = ["person"]
