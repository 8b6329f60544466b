"""Officers' review of the registrations of their own agency (or province): the comparison with the
registry, the photos and declaration, approve or reject, and the audit trail."""


from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from lookup.admin_filters import OfficerAgencyFilter
from notifications.texts import sent_as_typed
from vssid_portal.admin import (
    DECLARATION,
    DECLARATION_BUILDING,
    DECLARATION_DOWNLOAD,
    AuditTrailInline,
    DeclarationFilter,
    FoldedKeySearch,
    NotFoundOutsideScope,
    RecentDateFilter,
    RelationLinksOnlyWhereAllowed,
    SaysWhyNoAgencySeesNothing,
    posted_text,
    year_filter,
)
from vssid_portal.files import private_file_response
from vssid_portal.templatetags.vn_format import vn_date
from vssid_portal.text import normalize_name

from ..models import Registration, RegistrationEvent
from ..selectors import (
    OFFICER_RECORD_UNKNOWN,
    identity_match,
    is_officers_own_registration,
    officer_record_unknown,
    registration_told_by,
    registrations_visible_to,
)
from ..services.registration import (
    OWN_REGISTRATION,
    OWN_REGISTRATION_HERE,
    PHOTO_FIELDS,
    RegistrationAlreadyDecided,
    registration_approve,
    registration_reject,
    registrations_retry_declarations,
)


def _comparable(text: str) -> str:
    """A text as the comparison with the registry reads it: NFC, single spaces, any case (diacritics count)."""
    return normalize_name(text).casefold()


class RegistrationEventInline(AuditTrailInline):
    model = RegistrationEvent
    fields = ["at", "action", "actor", "note"]
    view_permissions = ("accounts.view_registration",)


# A registration replaced by a newer one lost its photos on the spot and never gets a declaration.
GONE_WITH_REPLACEMENT = gettext_lazy("Không còn: đăng ký đã được thay bằng một đăng ký mới của người nộp.")

class SubmittedOnFilter(RecentDateFilter):
    """The filter by the submission date, titled "ngày nộp" (the column's "nộp lúc" read "Theo nộp lúc")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = gettext_lazy("ngày nộp")


REGISTRATIONS_SINCE = 2025  # the first year the list filter offers: the portal takes registrations from its start


@admin.register(Registration)
class RegistrationAdmin(SaysWhyNoAgencySeesNothing, FoldedKeySearch, NotFoundOutsideScope, RelationLinksOnlyWhereAllowed,
                        admin.ModelAdmin):
    no_agency_warning = gettext_lazy("Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có đăng ký giao dịch điện tử nào để xét duyệt. "
                                     "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc.")
    list_display = ["reference", "bhxh_code", "full_name", "agency", "status", "submitted_at"]
    # Millions of registrations for a superuser: no date hierarchy, no count of the whole table.
    list_filter = ["status", ("agency", OfficerAgencyFilter), ("submitted_at", SubmittedOnFilter),
                   year_filter("submitted_at", since=REGISTRATIONS_SINCE), DeclarationFilter]
    show_full_result_count = False
    actions = ["retry_declarations_selected"]
    search_fields = ["reference", "bhxh_code", "full_name", "id_number", "person__name_key"]
    inlines = [RegistrationEventInline]
    change_form_template = "admin/accounts/registration/change_form.html"
    fieldsets = [
        (pgettext_lazy("một đăng ký giao dịch điện tử", "Đăng ký"), {"fields": ["reference", "status", "agency", "submitted_at", "decided_at", "decided_by", "reject_reason",
                                 "declaration"]}),
        (gettext_lazy("Kê khai so với hồ sơ BHXH"), {"fields": ["comparison"]}),
        (gettext_lazy("Ảnh"), {"fields": ["photos"]}),
        (gettext_lazy("Đăng ký cho con"), {"fields": ["parent", "relationship", "birth_certificate_number"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["reference", "status", "agency", "submitted_at", "decided_at", "decided_by", "reject_reason",
                       "declaration", "comparison", "photos", "parent", "relationship", "birth_certificate_number"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return registrations_visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return request.user.has_perm("accounts.decide_registration")

    @admin.display(description=DECLARATION)
    def declaration(self, obj):
        if obj.declaration_pdf:
            return format_html('<a href="{}">{}</a>', reverse("admin:accounts_registration_declaration", args=[obj.pk]),
                               DECLARATION_DOWNLOAD)
        if obj.status == Registration.Status.REPLACED:
            return GONE_WITH_REPLACEMENT
        if obj.photos_deleted_at:  # swept with the photos of a registration refused long ago
            return gettext("Tờ khai đã được xóa cùng ảnh theo thời hạn lưu trữ.")
        if obj.declaration_given_up:
            return gettext("Chưa tạo được. Chọn đăng ký trong danh sách và dùng thao tác “Tạo lại tờ khai”.")
        return DECLARATION_BUILDING

    @admin.action(description=gettext_lazy("Tạo lại tờ khai"), permissions=["decide"])
    def retry_declarations_selected(self, request, queryset):
        started = registrations_retry_declarations(registrations=queryset, officer=request.user)
        if started:
            self.message_user(request, ngettext("Đã bắt đầu tạo lại %(count)s tờ khai.",
                                                "Đã bắt đầu tạo lại %(count)s tờ khai.", started) % {"count": started},
                              messages.SUCCESS)
        else:
            self.message_user(request, gettext("Trong các đăng ký đã chọn, không có tờ khai nào cần tạo lại."),
                              messages.WARNING)

    @admin.display(description=gettext_lazy("So sánh"))
    def comparison(self, obj):
        person = obj.person
        registry_birth = vn_date(person.birth_date, person.birth_year_only)
        match = identity_match(person, full_name=obj.full_name, birth_date=obj.birth_date,
                               id_number=obj.id_number or None)
        rows = [
            (gettext("Mã số BHXH"), obj.bhxh_code, person.bhxh_code, obj.bhxh_code == person.bhxh_code),
            (gettext("Họ và tên"), obj.full_name, person.full_name, match.name),
            (gettext("Ngày sinh"), vn_date(obj.birth_date), registry_birth, match.birth_date),
            # A child's registration declares no ID document: nothing to compare, no row.
            *([(obj.get_id_type_display(), obj.id_number, person.id_number, match.id_number)] if obj.id_number else []),
            # A child's registration gives the parent's number, which is not the child's to compare.
            *([(gettext("Điện thoại"), obj.phone.as_national if obj.phone else "", person.phone.as_national if person.phone else "",
                obj.phone == person.phone)] if not obj.is_child else []),
            # The whole address: the house number and street as well as the ward and province.
            (gettext("Địa chỉ"), obj.address, person.address,
             (obj.province_id, obj.ward_id, _comparable(obj.declared_street))
             == (person.province_id, person.ward_id, _comparable(person.street))),
            # Not compared: the declaration names the agency receiving it, which may be any, and approving
            # it leaves the agency managing the person's records as it is.
            (gettext("Cơ quan BHXH tiếp nhận / quản lý"), str(obj.agency),
             str(person.agency) if person.agency else gettext("Chưa có"), None),
        ]
        body = format_html_join(
            "", '<tr class="{}"><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>',
            ((("" if same is not False else "mismatch"), label, declared, registry,
              gettext("Không đối chiếu") if same is None else gettext("Khớp") if same else gettext("⚠ Khác"))
             for label, declared, registry, same in rows),
        )
        return format_html(
            '<table class="comparison"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            gettext("Mục"), gettext("Kê khai"), gettext("Hồ sơ BHXH"), gettext("Đối chiếu"), body,
        )

    @admin.display(description=gettext_lazy("Ảnh đã nộp"))
    def photos(self, obj):
        if obj.status == Registration.Status.REPLACED:
            return GONE_WITH_REPLACEMENT
        if obj.photos_deleted_at:
            return gettext("Ảnh đã được xóa theo thời hạn lưu trữ.")
        labels = {"portrait": (gettext("Chân dung"), gettext("Ảnh chân dung")),
                  "id_front": (gettext("Mặt trước"), gettext("Ảnh mặt trước")),
                  "id_back": (gettext("Mặt sau"), gettext("Ảnh mặt sau"))}
        return format_html_join(
            "", '<figure class="registration-photo"><img src="{}" alt="{}" width="280"><figcaption>{}</figcaption></figure>',
            ((reverse("admin:accounts_registration_photo", args=[obj.pk, field]), labels[field][1], labels[field][0])
             for field in PHOTO_FIELDS if getattr(obj, field)),
        )

    def get_urls(self):
        own = [
            path("<id:pk>/anh/<str:field>/", self.admin_site.admin_view(self.photo_view), name="accounts_registration_photo"),
            path("<id:pk>/to-khai/", self.admin_site.admin_view(self.declaration_view),
                 name="accounts_registration_declaration"),
            path("<id:pk>/duyet/", self.admin_site.admin_view(self.approve_view), name="accounts_registration_approve"),
            path("<id:pk>/tu-choi/", self.admin_site.admin_view(self.reject_view), name="accounts_registration_reject"),
        ]
        return own + super().get_urls()

    def _visible(self, request, pk) -> Registration:
        registration = self.get_queryset(request).filter(pk=pk).first()
        if registration is None or not self.has_view_permission(request, registration):
            raise Http404
        return registration

    def photo_view(self, request, pk, field):
        registration = self._visible(request, pk)
        if field not in PHOTO_FIELDS or not getattr(registration, field):
            raise Http404
        name = getattr(registration, field).name
        return private_file_response(name, filename=name.rsplit("/", 1)[-1], inline=True)

    def declaration_view(self, request, pk):
        registration = self._visible(request, pk)
        if not registration.declaration_pdf:
            raise Http404
        return private_file_response(registration.declaration_pdf.name, filename=f"to-khai-{registration.reference}.pdf")

    def approve_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        registration = self._visible(request, pk)
        try:
            registration_approve(registration=registration, officer=request.user,
                                 link_base=request.build_absolute_uri("/"))
        except RegistrationAlreadyDecided as done:
            return self._already_decided(request, done)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            self.log_change(request, registration, "Duyệt đăng ký.")
            messages.success(request, gettext("Đã duyệt đăng ký %(reference)s và báo kết quả qua SMS.")
                             % {"reference": registration.reference})
        return redirect("admin:accounts_registration_change", registration.pk)

    def reject_view(self, request, pk):
        registration = self._visible(request, pk)
        if not self.has_decide_permission(request):  # refused before a reason is typed for nothing
            raise PermissionDenied
        error = None
        if request.method != "POST" and officer_record_unknown(request.user):
            # Said before the officer writes a reason that could not be sent.
            messages.error(request, OFFICER_RECORD_UNKNOWN)
            return redirect("admin:accounts_registration_change", registration.pk)
        if request.method != "POST" and is_officers_own_registration(registration, request.user):
            # Their own case: said before the officer writes a reason that could not be sent.
            messages.error(request, OWN_REGISTRATION % {"reference": registration.reference})
            return redirect("admin:accounts_registration_change", registration.pk)
        if request.method != "POST" and registration.status != Registration.Status.PENDING:
            # Decided already (a colleague, an old tab): said before the officer writes a reason for nothing.
            done = RegistrationAlreadyDecided(registration, wanted=Registration.Status.REJECTED)
            (messages.info if done.same else messages.warning)(request, done.message)
            return redirect("admin:accounts_registration_change", registration.pk)
        if request.method == "POST":
            try:
                reason = posted_text(request, "reason")
                registration_reject(registration=registration, officer=request.user, reason=reason)
            except RegistrationAlreadyDecided as done:
                return self._already_decided(request, done, reason=reason)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                self.log_change(request, registration, f"Từ chối đăng ký: {reason.strip()}")
                messages.success(request, gettext("Đã từ chối đăng ký %(reference)s và báo cho người đăng ký.")
                                 % {"reference": registration.reference})
                return redirect("admin:accounts_registration_change", registration.pk)
        context = {
            **self.admin_site.each_context(request), "title": gettext("Từ chối đăng ký %(reference)s") % {"reference": registration.reference},
            "registration": registration, "error": error, "reason": request.POST.get("reason", ""),
            "sent_as_typed": sent_as_typed(registration_told_by(registration)), "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/registration/reject.html", context)

    def _already_decided(self, request, done: RegistrationAlreadyDecided, reason: str = ""):
        """A decision already taken: the same one (a double click, with the same reason) is an
        information; another one (a colleague was quicker) a warning, and the reason the officer
        typed, which was not sent, is given back to them."""
        reason = reason.strip()
        if done.same and reason == done.registration.reject_reason:
            messages.info(request, done.message)
        elif reason:
            messages.warning(request, gettext("%(message)s Lý do bạn vừa nhập chưa được gửi: “%(reason)s”") % {
                "message": done.message, "reason": reason})
        else:
            messages.warning(request, done.message)
        return redirect("admin:accounts_registration_change", done.registration.pk)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        pending = obj is not None and obj.status == Registration.Status.PENDING and self.has_decide_permission(request)
        unknown = pending and officer_record_unknown(request.user)
        own = pending and not unknown and is_officers_own_registration(obj, request.user)
        context["can_decide"] = pending and not own and not unknown
        context["own_case"] = OWN_REGISTRATION_HERE if own else ""
        context["record_unknown"] = OFFICER_RECORD_UNKNOWN if unknown else ""
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
