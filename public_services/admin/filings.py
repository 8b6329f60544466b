"""Officers' admin for filings: a queue of their agency's (province: and its districts') filings sorted
by due date with overdue ones marked, the filing page with the declared data, and the evidence and the
declaration PDF shown through a permission-checked view. The steps on a filing are steps.py's (FilingSteps)."""

from django.contrib import admin
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from accounts.selectors import OFFICER_RECORD_UNKNOWN, officer_record_unknown
from lookup.admin_filters import OfficerAgencyFilter
from vssid_portal.admin import (
    DECLARATION,
    DECLARATION_BUILDING,
    DECLARATION_DOWNLOAD,
    DeclarationFilter,
    FoldedKeySearch,
    NotFoundOutsideScope,
    RelationLinksOnlyWhereAllowed,
    SaysWhyNoAgencySeesNothing,
)
from vssid_portal.files import private_file_response
from vssid_portal.templatetags.vn_format import vn_date, vn_datetime

from ..models import AGENCY_PENDING_STATUSES, OPEN_STATUSES, TRANSITIONS, Filing
from ..procedures import registry
from ..selectors import (
    OWN_CASE_HERE,
    completion_changes,
    filing_declarant,
    filings_visible_to,
    is_officers_own_case,
    nobody_to_correct,
)
from .steps import NOTE_STEPS, STEPS, FilingSteps

PROCEDURE = gettext_lazy("thủ tục")  # a filing's procedure: its column and its filter


class OpenFilter(admin.SimpleListFilter):
    """Pending and overdue are the agency's work; a filing returned for correction waits for the
    citizen (its due date is set again when it is resubmitted), so it has a value of its own."""

    title = pgettext_lazy("lọc hồ sơ", "tình trạng")
    parameter_name = "tinh_trang"

    def lookups(self, request, model_admin):
        return [("mo", pgettext_lazy("lọc hồ sơ", "Đang chờ xử lý")), ("qua_han", pgettext_lazy("lọc hồ sơ", "Quá hạn")),
                ("cho_bo_sung", pgettext_lazy("lọc hồ sơ", "Chờ người nộp bổ sung")),
                ("xong", pgettext_lazy("lọc hồ sơ", "Đã kết thúc"))]

    def queryset(self, request, queryset):
        if self.value() == "mo":
            return queryset.filter(status__in=AGENCY_PENDING_STATUSES)
        if self.value() == "qua_han":
            return queryset.overdue()
        if self.value() == "cho_bo_sung":
            return queryset.filter(status=Filing.Status.RETURNED)
        if self.value() == "xong":
            return queryset.exclude(status__in=OPEN_STATUSES)
        return queryset


class ProcedureFilter(admin.SimpleListFilter):
    """The procedures by code and name, from the registry: Django's filter of the field offered the
    bare codes the filings held ("607A"), found by reading every filing of the list on each view."""

    title = PROCEDURE
    parameter_name = "procedure_code__exact"  # the address Django's filter of the field gave

    def lookups(self, request, model_admin):
        return [(procedure.code, f"{procedure.code} – {procedure.name}") for procedure in registry.all_procedures()]

    def queryset(self, request, queryset):
        return queryset.filter(procedure_code=self.value()) if self.value() else queryset


@admin.register(Filing)
class FilingAdmin(SaysWhyNoAgencySeesNothing, FoldedKeySearch, NotFoundOutsideScope, RelationLinksOnlyWhereAllowed,
                  FilingSteps, admin.ModelAdmin):
    list_display = ["tracking_number", "procedure_name", "person", "agency", "status", "due", "submitted_at"]
    list_filter = [OpenFilter, "status", ProcedureFilter, ("agency", OfficerAgencyFilter), DeclarationFilter]
    # A tracking number (generated in capitals) or a BHXH code from its start, a name anywhere in its folded
    # key: each read from an index, never every filing.
    search_fields = ["^tracking_number", "^person__bhxh_code", "person__name_key"]
    codes_apart_from_names = True
    upper_case_codes = ("tracking_number", "person__bhxh_code")
    ordering = ["due_date", "submitted_at"]
    show_full_result_count = False  # millions of rows: the filtered count only
    actions = ["receive_selected", "start_selected", "retry_declarations_selected"]
    change_form_template = "admin/public_services/filing/change_form.html"
    fieldsets = [
        (pgettext_lazy("một hồ sơ dịch vụ công", "Hồ sơ"), {
            "fields": ["tracking_number", "procedure_name", "status", "note", "agency", "submitted_at", "received_at",
                       "due", "finished_at", "declaration"]}),
        (gettext_lazy("Người tham gia (theo hồ sơ BHXH khi nộp)"), {"fields": ["identity_table", "declarant"]}),
        (pgettext_lazy("phần trang hồ sơ của cán bộ", "Nội dung kê khai"), {"fields": ["content"]}),
        (gettext_lazy("Giấy tờ kèm theo"), {"fields": ["evidence"]}),
        (gettext_lazy("Lịch sử xử lý"), {"fields": ["history"]}),
    ]
    readonly_fields = ["tracking_number", "procedure_name", "status", "note", "agency", "submitted_at", "received_at",
                       "due", "finished_at", "declaration", "identity_table", "declarant", "content", "evidence", "history"]

    class Media:
        css = {"all": ["public_services/admin.css"]}

    def get_queryset(self, request):
        return filings_visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_process_permission(self, request):
        return request.user.has_perm("public_services.process_filing")


    @admin.display(description=PROCEDURE, ordering="procedure_code")
    def procedure_name(self, obj):
        return f"{obj.procedure_code} – {obj.procedure.name}"

    @admin.display(description=gettext_lazy("hẹn trả kết quả"), ordering="due_date")
    def due(self, obj):
        if obj.status == Filing.Status.RETURNED:
            return gettext("– (chờ người nộp bổ sung)")
        if obj.is_overdue:
            return format_html('<span class="filing-overdue">{}</span>',
                               gettext("%(date)s – quá hạn") % {"date": vn_date(obj.due_date)})
        return vn_date(obj.due_date)

    @admin.display(description=gettext_lazy("người tham gia"))
    def identity_table(self, obj):
        labels = [("full_name", gettext("Họ và tên")), ("bhxh_code", gettext("Mã số BHXH")),
                  ("birth_date", gettext("Ngày sinh")), ("sex", gettext("Giới tính")),
                  ("id_number", gettext("Số giấy tờ")), ("address", gettext("Địa chỉ")),
                  ("phone", gettext("Điện thoại"))]
        return self._table((label, obj.identity.get(key, "")) for key, label in labels)

    @admin.display(description=gettext_lazy("người kê khai"))
    def declarant(self, obj):
        """Who declared and signs the filing: a parent filing for a child is named with the relationship."""
        declarant = filing_declarant(obj)
        if declarant is None:
            return gettext("Người tham gia tự kê khai")
        relationship = declarant["relationship"]
        return f"{declarant['full_name']} ({relationship})" if relationship else declarant["full_name"]

    @admin.display(description=gettext_lazy("nội dung"))
    def content(self, obj):
        # The declaration's wording of each label ("Quan hệ với người ủy quyền", not the form's "với bạn").
        rows = obj.procedure.filing_rows(obj, user=obj.submitted_by)  # worded for who declared
        return self._table((row.pdf_label or row.label, row.value) for row in rows)

    def _table(self, rows):
        body = format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows)
        return format_html('<table class="comparison"><tbody>{}</tbody></table>', body)

    @admin.display(description=gettext_lazy("các bước"))
    def history(self, obj):
        # A read-only table with a header on every column (the admin's tabular inline leaves two
        # header cells empty, which screen readers announce as nothing).
        events = obj.events.select_related("actor")
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
            (vn_datetime(event.at), event.get_from_status_display() or "–",
             event.get_status_display(), event.actor or "–", event.note or "–") for event in events))
        head = format_html_join("", '<th scope="col">{}</th>', ((label,) for label in (
            gettext("Lúc"), gettext("Từ trạng thái"), gettext("Trạng thái"), gettext("Người thực hiện"),
            gettext("Ghi chú"))))
        return format_html('<table class="comparison"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head, body)

    @admin.display(description=gettext_lazy("giấy tờ, tệp kèm theo"))
    def evidence(self, obj):
        documents = list(obj.documents.all())
        if not documents:
            return gettext("Không có")
        images = format_html_join(
            "", '<figure class="filing-evidence"><a href="{0}"><img src="{0}" alt="{1}" width="320"></a><figcaption>{1}</figcaption></figure>',
            ((reverse("admin:public_services_filing_document", args=[obj.pk, document.pk]), document.label)
             for document in documents if not document.is_several),
        )
        files = [document for document in documents if document.is_several]
        if not files:
            return images
        links = format_html_join("", '<li><a href="{}" download>{}</a></li>', (
            (reverse("admin:public_services_filing_document", args=[obj.pk, document.pk]), document.filename)
            for document in files))
        label = files[0].label.replace(" (không bắt buộc)", "")
        return format_html('{}<p>{}:</p><ul class="filing-files">{}</ul>', images, label, links)

    @admin.display(description=DECLARATION)
    def declaration(self, obj):
        if obj.pdf_given_up:
            return gettext("Chưa tạo được tờ khai. Chọn hồ sơ trong danh sách và dùng thao tác “Tạo lại tờ khai”.")
        if obj.declaration_is_earlier:
            earlier = obj.declaration_revision
            sent = obj.submitted_at_of(earlier)
            words = {"revision": obj.revision, "earlier": earlier, "date": vn_date(sent) if sent else "",
                     "link": reverse("admin:public_services_filing_pdf", args=[obj.pk])}
            if sent:
                return format_html(gettext(
                    "Không có tờ khai của lần nộp thứ {revision}: người nộp đã rút hồ sơ trước khi tờ khai đó được "
                    "tạo. Tờ khai hiện có là của lần nộp thứ {earlier} (ngày {date}), trước khi hồ sơ được sửa và "
                    'nộp lại; nội dung có thể khác nội dung kê khai dưới đây. <a href="{link}">Tải tờ khai lần nộp '
                    "thứ {earlier} (PDF)</a>"), **words)
            return format_html(gettext(
                "Không có tờ khai của lần nộp thứ {revision}: người nộp đã rút hồ sơ trước khi tờ khai đó được tạo. "
                "Tờ khai hiện có là của lần nộp thứ {earlier}, trước khi hồ sơ được sửa và nộp lại; nội dung có thể "
                'khác nội dung kê khai dưới đây. <a href="{link}">Tải tờ khai lần nộp thứ {earlier} (PDF)</a>'),
                **words)
        if obj.withdrawn_without_declaration:
            return gettext("Không có: người nộp đã rút hồ sơ trước khi tờ khai được tạo.")
        if not obj.declaration_revision:
            return DECLARATION_BUILDING
        return format_html('<a href="{}">{}</a>', reverse("admin:public_services_filing_pdf", args=[obj.pk]),
                           DECLARATION_DOWNLOAD)

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path("<id:pk>/giay-to/<id:document_pk>/", view(self.document_view), name="public_services_filing_document"),
            path("<id:pk>/to-khai/", view(self.pdf_view), name="public_services_filing_pdf"),
            path("<id:pk>/buoc/<str:step>/", view(self.step_view), name="public_services_filing_step"),
            path("<id:pk>/ghi-chu/<str:step>/", view(self.note_view), name="public_services_filing_note"),
        ]
        return own + super().get_urls()

    def _visible(self, request, pk) -> Filing:
        filing = self.get_queryset(request).filter(pk=pk).first()
        if filing is None or not self.has_view_permission(request, filing):
            raise Http404
        return filing

    def document_view(self, request, pk, document_pk):
        filing = self._visible(request, pk)
        document = filing.documents.filter(pk=document_pk).first()
        if document is None:
            raise Http404
        return private_file_response(document.file.name, filename=document.filename, inline=not document.is_several)

    def pdf_view(self, request, pk):
        filing = self._visible(request, pk)
        if not filing.declaration_revision:
            raise Http404
        return private_file_response(filing.declaration_pdf.name, filename=filing.declaration_filename)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        allowed = TRANSITIONS.get(obj.status, set()) if obj is not None else set()
        unknown = bool(allowed) and self.has_process_permission(request) and officer_record_unknown(request.user)
        own = obj is not None and not unknown and is_officers_own_case(obj, request.user)
        can = obj is not None and self.has_process_permission(request) and not own and not unknown
        context["own_case"] = OWN_CASE_HERE if own else ""
        context["record_unknown"] = OFFICER_RECORD_UNKNOWN if unknown else ""
        context["nobody_to_correct"] = nobody_to_correct(obj) if obj is not None else ""
        # (step, label, confirmed on a page of its own): a completion that writes more than the status
        context["steps"] = [(step, label, step == "complete" and bool(completion_changes(obj)))
                            for step, (_s, status, label) in STEPS.items() if can and status in allowed]
        context["note_steps"] = [(step, title) for step, (_s, status, _a, title, _l) in NOTE_STEPS.items()
                                 if can and status in allowed]
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
