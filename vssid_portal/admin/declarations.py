"""A declaration PDF as a registration's and a filing's admin name it: its column, its state, its
link, and the list filter of those whose PDF was given up."""


from django.contrib import admin
from django.utils.translation import gettext_lazy, pgettext_lazy

# A declaration PDF as a registration's and a filing's admin name it: its column, its state, its link.
DECLARATION = gettext_lazy("tờ khai")
DECLARATION_BUILDING = gettext_lazy("Đang tạo tờ khai…")
DECLARATION_DOWNLOAD = gettext_lazy("Tải tờ khai (PDF)")


class DeclarationFilter(admin.SimpleListFilter):
    """"tờ khai: Chưa tạo được": the registrations, or the filings, whose declaration PDF was given up
    (vssid_portal/jobs.py); each queryset says which in `declaration_given_up()`."""

    title = DECLARATION
    parameter_name = "to_khai"

    def lookups(self, request, model_admin):
        return [("chua_tao_duoc", pgettext_lazy("tờ khai", "Chưa tạo được"))]

    def queryset(self, request, queryset):
        return queryset.declaration_given_up() if self.value() == "chua_tao_duoc" else queryset
