"""Officers enter, correct and bulk-import participation periods for the agencies they manage."""

import csv
import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, gettext_lazy

from accounts.admin_own_records import OwnRecordsReadOnly
from accounts.selectors import persons_visible_to
from lookup.admin_filters import OfficerAgencyFilter
from lookup.models import Agency
from lookup.selectors import officer_agency_ids
from vssid_portal.admin import (
    FoldedKeySearch,
    NotFoundOutsideScope,
    RelationLinksOnlyWhereAllowed,
    SaysWhyNoAgencySeesNothing,
    year_filter,
)
from vssid_portal.templatetags.vn_format import vn_number, vnd

from .forms import PeriodAdminForm
from .models import Period, Statement
from .selectors import periods_overlapping
from .services.imports import COLUMNS, periods_import
from .services.periods import period_delete, period_save


def csv_error_message(error: csv.Error) -> str:
    """The import's refusal of a file the csv module cannot read, in Vietnamese: its own message is
    English. In practice a cell past its size limit, left open by a missing closing quote."""
    if "field larger than field limit" in str(error):
        return gettext("Tệp có một ô dài quá %(limit)s ký tự, thường do thiếu dấu ngoặc kép (\") đóng ở một ô. "
                       "Hãy kiểm tra lại tệp.") % {"limit": vn_number(csv.field_size_limit())}
    return gettext("Tệp không đọc được dạng CSV. Hãy lưu lại tệp dạng CSV UTF-8, các cột cách nhau bằng dấu phẩy.")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp CSV (UTF-8)"),
                           help_text=gettext_lazy("Mỗi dòng một giai đoạn; dòng đầu là tên cột; các cột cách nhau bằng dấu "
                                                  "phẩy (,), không phải dấu chấm phẩy (;)."))
    dry_run = forms.BooleanField(label=gettext_lazy("Chạy thử: chỉ kiểm tra và báo cáo, chưa ghi dữ liệu"), required=False,
                                 initial=True)


class OverlapFilter(admin.SimpleListFilter):
    """The periods whose months another of the same person, type and payer shares (stored before such
    periods were refused): an edit of either is refused until one is corrected, so officers find them here."""

    title = gettext_lazy("trùng giai đoạn")
    parameter_name = "trung"

    def lookups(self, request, model_admin):
        return [("co", gettext("Trùng giai đoạn"))]

    def queryset(self, request, queryset):
        return periods_overlapping(queryset) if self.value() == "co" else queryset


BHXH_SINCE = 1995  # the first year the list filter offers: BHXH as recorded today starts in 1995


@admin.register(Period)
class PeriodAdmin(OwnRecordsReadOnly, SaysWhyNoAgencySeesNothing, FoldedKeySearch, NotFoundOutsideScope, RelationLinksOnlyWhereAllowed,
                  admin.ModelAdmin):
    no_agency_warning = gettext_lazy("Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có quá trình tham gia nào để xem. "
                                     "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc.")
    form = PeriodAdminForm
    list_display = ["person", "kind", "first_month", "last_month", "payer", "employer", "base_vnd", "unpaid_months", "agency"]
    # Tens of millions of periods: no date hierarchy, no count of the whole table.
    list_filter = ["kind", "payer", ("agency", OfficerAgencyFilter), year_filter("from_month", since=BHXH_SINCE),
                   OverlapFilter]
    show_full_result_count = False
    # A BHXH code or an employer's code from its start, a name anywhere in its folded key: each read from
    # an index, never the whole table (the person's B-tree of codes and trigram indexes, lookup 0011).
    search_fields = ["^person__bhxh_code", "person__name_key", "^employer__code"]
    codes_apart_from_names = True
    upper_case_codes = ("person__bhxh_code",)
    list_select_related = ["person", "employer", "agency"]
    # Searched within the officer's persons (a raw id would show anyone's name); the facilities and
    # employers of the country are too many for a drop-down.
    autocomplete_fields = ["person", "facility", "employer"]
    change_list_template = "admin/participation/period/change_list.html"

    @admin.display(description=gettext_lazy("từ tháng"), ordering="from_month")
    def first_month(self, obj):
        return f"{obj.from_month:%m/%Y}"

    @admin.display(description=gettext_lazy("đến tháng"), ordering="to_month")
    def last_month(self, obj):
        return f"{obj.to_month:%m/%Y}"

    @admin.display(description=gettext_lazy("tiền lương / mức thu nhập làm căn cứ đóng"), ordering="base")
    def base_vnd(self, obj):
        return vnd(obj.base)

    def get_readonly_fields(self, request, obj=None):
        # A period stays with its person, who may be managed by another agency since (the period's
        # agency decides who edits it): a period entered for the wrong person is deleted and re-entered.
        return ["person"] if obj is not None else []

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = officer_agency_ids(request.user)
        return queryset if scope is None else queryset.filter(agency_id__in=scope)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            scope = officer_agency_ids(request.user)
            kwargs["queryset"] = Agency.objects.all() if scope is None else Agency.objects.filter(pk__in=scope)
        if db_field.name == "person":
            kwargs["queryset"] = persons_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def has_add_permission(self, request):
        # An officer not yet attached to an agency has no agency to enter a period for (nor person).
        return super().has_add_permission(request) and officer_agency_ids(request.user) != set()

    def save_model(self, request, obj, form, change):
        # The form has checked what period_save checks (PeriodAdminForm).
        changed = period_save(period=obj, actor=request.user, seen_version=form.cleaned_data.get("seen_version"))
        if change and not changed:
            messages.info(request, gettext("Không có thay đổi nào: không gửi thông báo."))

    def delete_model(self, request, obj):
        period_delete(periods=Period.objects.filter(pk=obj.pk), actor=request.user)

    def delete_queryset(self, request, queryset):
        period_delete(periods=queryset, actor=request.user)

    def get_urls(self):
        return [path("nhap-csv/", self.admin_site.admin_view(self.import_view), name="participation_period_import")] + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            lines = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
            try:
                report = periods_import(lines=lines, dry_run=form.cleaned_data["dry_run"],
                                        agency_scope=officer_agency_ids(request.user),
                                        persons=persons_visible_to(request.user), actor=request.user,
                                        source=upload.name)
            except UnicodeDecodeError:
                form.add_error("file", gettext("Tệp không phải văn bản UTF-8. Hãy lưu lại tệp dạng CSV UTF-8."))
            except csv.Error as error:
                form.add_error("file", csv_error_message(error))
        context = {
            **self.admin_site.each_context(request), "title": gettext("Nhập quá trình tham gia từ CSV"), "form": form,
            "report": report, "columns": COLUMNS, "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/participation/period/import.html", context)


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["code", "person", "status", "created_at", "issued_at"]
    search_fields = ["code", "person__bhxh_code"]
    fields = readonly_fields = ["code", "person", "requested_by", "status", "pdf_name", "content_hash", "created_at",
                                "issued_at"]
    list_select_related = ["person"]
    show_full_result_count = False  # every statement asked in the country

    @admin.display(description=gettext_lazy("tệp PDF"))
    def pdf_name(self, obj):
        # The file sits in private storage, which has no URL: the name only, never a link.
        return obj.pdf.name if obj.pdf else "–"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
