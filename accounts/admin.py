"""Officers' admin: registrations of their own agency (or province), approve or reject, audit trail."""

from collections import Counter

from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

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
from vssid_portal.concurrent_edits import SeenVersionForm
from vssid_portal.files import private_file_response
from vssid_portal.forms import NameField
from vssid_portal.templatetags.vn_format import vn_date
from vssid_portal.text import normalize_name

from .admin_own_records import OwnRecordsReadOnly
from .models import Person, Registration, RegistrationEvent, User
from .selectors import (
    OFFICER_RECORD_UNKNOWN,
    OWN_RECORD,
    identity_match,
    is_officers_own_registration,
    officer_record_unknown,
    officers_own_person_ids,
    persons_visible_to,
    recovery_codes_deleted_with,
    registration_told_by,
    registrations_visible_to,
    staff_login_of_record,
)
from .services.persons import person_columns, person_save, persons_delete
from .services.registration import (
    OWN_REGISTRATION,
    OWN_REGISTRATION_HERE,
    PHOTO_FIELDS,
    RegistrationAlreadyDecided,
    registration_approve,
    registration_reject,
    registrations_retry_declarations,
)
from .services.security import authenticators_delete, user_email_change_notify, user_password_set_by_agency
from .sessions import end_other_sessions

PERMISSION_ACTIONS = {"add": gettext_lazy("Được thêm %(model)s"), "change": gettext_lazy("Được sửa %(model)s"),
                      "delete": gettext_lazy("Được xóa %(model)s"), "view": gettext_lazy("Được xem %(model)s")}


def permission_label(permission) -> str:
    """Django's own permissions (add, change, delete, view) read in the admin's language with the
    model's name, not as the English name Django stored; the portal's own permissions read as their
    model declares them."""
    action, _, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in PERMISSION_ACTIONS and model is not None and model_name == model._meta.model_name:
        return f"{permission.content_type} | {PERMISSION_ACTIONS[action] % {'model': model._meta.verbose_name}}"
    # The portal's own permissions by the name their model declares, in the admin's language (the
    # stored name is the Vietnamese one migrate wrote); a permission no model declares, by its stored name.
    declared = dict(model._meta.permissions).get(permission.codename) if model is not None else None
    return f"{permission.content_type} | {declared}" if declared is not None else str(permission)


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    """The permission pickers of the groups and accounts, each permission named by `permission_label`."""

    def label_from_instance(self, permission):
        return permission_label(permission)


def _name_relation_rows(through, name, plural, describe) -> None:
    """A table Django makes for a many-to-many field, named in Vietnamese: a delete confirmation
    lists its rows ("Quyền của nhóm: Cán bộ BHXH cơ sở – … | Được xem tài khoản") instead of
    "Quan hệ group-permission: Group_permissions object (2)"."""
    through._meta.verbose_name, through._meta.verbose_name_plural = name, plural
    through.__str__ = describe


_name_relation_rows(Group.permissions.through, gettext_lazy("quyền của nhóm"),
                    pgettext_lazy("số nhiều", "quyền của nhóm"),
                    lambda row: f"{row.group} – {permission_label(row.permission)}")
_name_relation_rows(User.groups.through, gettext_lazy("nhóm của tài khoản"),
                    pgettext_lazy("số nhiều", "nhóm của tài khoản"), lambda row: f"{row.user} – {row.group}")
_name_relation_rows(User.user_permissions.through, gettext_lazy("quyền của tài khoản"),
                    pgettext_lazy("số nhiều", "quyền của tài khoản"),
                    lambda row: f"{row.user} – {permission_label(row.permission)}")


class PermissionsInVietnamese:
    """An admin whose form picks permissions (a group's, an account's) names them in Vietnamese."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionChoiceField
            kwargs.setdefault("queryset", db_field.remote_field.model.objects.select_related("content_type"))
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


def _comparable(text: str) -> str:
    """A text as the comparison with the registry reads it: NFC, single spaces, any case (diacritics count)."""
    return normalize_name(text).casefold()


class PersonAdminForm(SeenVersionForm):
    """The registry's name follows the rule of every form that takes a name (letters, spaces,
    hyphens, apostrophes, dots; invisible characters dropped).

    A page opened before another write of the person's row (another officer's save, a registration's
    approval moving them to its agency, a 608A's or a contact change's completion) is refused as stale
    (SeenVersionForm), instead of writing back the values it showed. Its version is `updated_at`, which
    every writer of the row moves, and not `content_version`, which every write of the person's cards,
    periods and registrations moves too: an unrelated card change would refuse the officer's save. The
    check locks the row FOR NO KEY UPDATE, as person_save's write does: a citizen's filing for the person
    does not wait for the officer's save."""

    version_field = "updated_at"
    lock_no_key = True

    full_name = NameField(label=gettext_lazy("Họ và tên"))

    class Meta:
        model = Person
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the person as read, before the form changes them: person_save writes only what changed since
        # (on a post, the row as this request read it, which the version check finds unchanged since the page)
        self.person_as_read = person_columns(self.instance)

    def _update_errors(self, errors):
        """What the model's check says of a stored detail this form does not edit (the identity and
        contact details, read-only on the change page) does not hold up what it edits: like a name
        stored before the name rule, such a detail is corrected by the filing that changes it (608A)."""
        if hasattr(errors, "error_dict"):
            errors = ValidationError({field: messages for field, messages in errors.error_dict.items()
                                      if field == NON_FIELD_ERRORS or field in self.fields})
            if not errors.error_dict:
                return
        super()._update_errors(errors)


@admin.register(Person)
class PersonAdmin(OwnRecordsReadOnly, SaysWhyNoAgencySeesNothing, FoldedKeySearch, NotFoundOutsideScope,
                  RelationLinksOnlyWhereAllowed, admin.ModelAdmin):
    no_agency_warning = gettext_lazy("Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có người tham gia nào để xem. "
                                     "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc.")
    person_key = "pk"  # the row is the person: the officer's own and their child's are only shown
    form = PersonAdminForm
    list_display = ["bhxh_code", "full_name", "birth_date", "sex", "id_number", "province", "agency"]
    search_fields = ["bhxh_code", "name_key", "id_number"]
    list_filter = ["sex", ("agency", OfficerAgencyFilter)]
    show_full_result_count = False  # the country's insured persons
    list_select_related = ["province", "agency"]
    raw_id_fields = ["ward"]
    # Issue 4: the phone (where the login codes go) and the contact address change through the
    # contact change filing, whose declaration and SMS to the phone registered until then tell the
    # holder; an edit here would tell nobody. A person added here is still given them.
    contact_fields = ["phone", "province", "ward", "street"]
    # Likewise the identity changes through the 608A filing, with its declaration TK1-TS and evidence
    # (person_correct_identity writes what it approved: these fields, the card reissued to match).
    identity_fields = ["full_name", "birth_date", "birth_year_only", "sex", "id_type", "id_number"]
    # The BHXH code is the person's for life: the card's QR, the account logging in with it and every
    # record hang on it. It is given when the person is added, and never changed.
    lifelong_fields = ["bhxh_code"]

    actions = ["end_sessions"]

    def get_queryset(self, request):
        """Officers see the people their agency (or, for a province, its agencies) manages."""
        return persons_visible_to(request.user, super().get_queryset(request))

    def has_end_sessions_permission(self, request):
        return request.user.has_perm("accounts.end_sessions_person")

    @admin.action(description=gettext_lazy("Đăng xuất người đã chọn khỏi mọi thiết bị"), permissions=["end_sessions"])
    def end_sessions(self, request, queryset):
        """End every session of the selected people's citizen logins (the people this officer's agency
        manages: the queryset is scoped), as UserAdmin's action does for an account. A staff login a
        person may also have is left alone: ending a colleague's sessions is changing accounts. The officer's
        own record and child's are left too (own_rows_left), as the other admins' actions leave them."""
        people = list(queryset.select_related("user"))
        left = self.own_rows_left(request, people)
        if people and not left:  # each said why
            return
        end_sessions_of(self, request, {person.user: person for person in left
                                        if hasattr(person, "user") and not person.user.is_staff})

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None:
            return readonly
        return [*readonly, *self.lifelong_fields, *self.identity_fields, *self.contact_fields]

    def save_model(self, request, obj, form, change):
        """Only the columns the page changed are written (person_save): an officer's save does not hold up
        a citizen's filing for the person, as a write of the BHXH code would. A person deleted meanwhile
        is not found, as their page would not be."""
        try:
            person_save(person=obj, as_read=form.person_as_read if change else None)
        except Person.DoesNotExist:
            raise Http404 from None

    def delete_model(self, request, obj):
        persons_delete(persons=Person.objects.filter(pk=obj.pk), actor=request.user)

    def delete_queryset(self, request, queryset):
        persons_delete(persons=queryset, actor=request.user)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionsInVietnamese, DjangoGroupAdmin):
    pass


class OfficerPersonField(forms.ModelChoiceField):
    """The officer's own record in the registry, typed as its BHXH code and found there."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Person.objects.all(), to_field_name="bhxh_code", required=False,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 10, "autocomplete": "off"}),
            label=gettext_lazy("Mã số BHXH của cán bộ"),
            help_text=gettext_lazy("Mã số BHXH của chính cán bộ (10 chữ số), bắt buộc với tài khoản cán bộ đang hoạt "
                                   "động của một cơ quan BHXH: cán bộ không xử lý hồ sơ, đăng ký của chính mình và "
                                   "của con, dù nộp từ tài khoản nào. Tài khoản chưa có mã số này, kể cả tài khoản "
                                   "quản trị, không xử lý được hồ sơ, đăng ký, cũng không sửa được dữ liệu của "
                                   "người tham gia."),
            error_messages={"invalid_choice": gettext_lazy(
                "Không có người tham gia nào mang mã số BHXH này. Nhập đúng mã số BHXH 10 chữ số của cán bộ.")},
            **kwargs,
        )

    def prepare_value(self, value):
        """The code, not the key, in the box of an account that names its record already."""
        if isinstance(value, int):
            return Person.objects.filter(pk=value).values_list("bhxh_code", flat=True).first() or ""
        return super().prepare_value(value)


class UserChangeForm(DjangoUserAdmin.form):
    """An officer of an agency (a staff account attached to one) names their own record in the
    registry, so that every own-case check knows each of their logins: an active staff login with no
    record of its own is not saved (a deactivated one is, so that an officer who left is locked out
    at once), nor one naming a record another staff login names or logs in as. A login that logs in
    as a record names that one. A superuser is not asked: without a record they decide no filing nor
    registration and change no participant's data (accounts.selectors.officer_record_unknown) but still
    manage the accounts."""

    officer_person = OfficerPersonField()

    def clean(self):
        cleaned = super().clean()
        officer_person = cleaned.get("officer_person")
        person = cleaned.get("person") or self.instance.person
        if officer_person is None and person is not None and cleaned.get("is_staff"):
            cleaned["officer_person"] = officer_person = person
        # Asked of an account that stays active: an officer who left, or whose login was taken, is
        # locked out at once, without their code.
        active = cleaned.get("is_active", self.instance.is_active)
        if officer_person is None and cleaned.get("is_staff") and cleaned.get("agency") and active:
            self.add_error("officer_person", gettext(
                "Nhập mã số BHXH của cán bộ: tài khoản cán bộ của một cơ quan BHXH cần hồ sơ BHXH của chính cán bộ."))
        elif officer_person is not None and person is not None and officer_person != person:
            self.add_error("officer_person", gettext(
                "Tài khoản này đăng nhập bằng hồ sơ mã số %(code)s: mã số BHXH của cán bộ phải là mã số đó.")
                % {"code": person.bhxh_code})
        elif active and officer_person is not None and (
                other := staff_login_of_record(officer_person, besides=self.instance)):
            self.add_error("officer_person", gettext(
                "Hồ sơ mã số %(code)s đã là hồ sơ của tài khoản cán bộ %(username)s. Mỗi hồ sơ BHXH chỉ gắn với "
                "một tài khoản cán bộ: kiểm tra lại mã số.") % {"code": officer_person.bhxh_code, "username": other})
        return cleaned


@admin.register(User)
class UserAdmin(PermissionsInVietnamese, DjangoUserAdmin):
    form = UserChangeForm
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("BHXH", {"fields": ("person", "officer_person", "agency", "facility", "must_change_password",
                             "notice_language")}),)
    readonly_fields = ["notice_language"]
    list_display = ["username", "first_name", "last_name", "agency", "facility", "is_staff", "is_active"]
    list_select_related = ["agency", "facility"]
    raw_id_fields = ["person"]
    actions = ["end_sessions"]

    def get_readonly_fields(self, request, obj=None):
        """The person an account logs in as (whose phone gets its login codes) is given when the
        account is added; moving an existing login to another person would send its codes elsewhere.
        A citizen's username is their BHXH code, which they log in with and the account is found by."""
        readonly = super().get_readonly_fields(request, obj)
        if obj is None:
            return readonly
        return [*readonly, "username", "person"] if obj.person_id else [*readonly, "person"]

    @admin.display(description=gettext_lazy("Ngôn ngữ nhận thông báo"))
    def notice_language(self, obj):
        """The language the account's SMS, e-mails and notices are written in: shown so that an officer
        knows what the holder reads, and not editable, as it is the holder's own choice on the portal
        (accounts.services.language) or that of the pages they registered from."""
        return obj.get_language_display()

    @method_decorator(sensitive_post_parameters())
    @sensitive_variables("password")
    def user_change_password(self, request, id, form_url=""):
        """Django's page setting an account's password or turning off logging in with one, whose
        write is the agency's (user_password_set_by_agency: temporary for another's account, told
        to the holder once). Django shows the page, and the form again with what it refuses. An error
        on the way reports neither the password posted nor the one held here or in the service."""
        user = self.get_object(request, unquote(id))
        if request.method != "POST" or user is None or not self.has_change_permission(request, user):
            return super().user_change_password(request, id, form_url)  # the page, or Django's 404 or 403
        form = self.change_password_form(user, request.POST)
        if not form.is_valid() or not (form.cleaned_data["set_usable_password"] or "unset-password" in request.POST):
            return super().user_change_password(request, id, form_url)
        password = form.cleaned_data["password1"] if form.cleaned_data["set_usable_password"] else None
        if user_password_set_by_agency(request=request, user=user, password=password):
            self.log_change(request, user, self.construct_change_message(request, form, None))
        messages.success(request, gettext("Password changed successfully.") if password is not None
                         else gettext("Password-based authentication was disabled."))
        update_session_auth_hash(request, user)  # an officer's own password: this session goes on
        return redirect("admin:accounts_user_change", user.pk)

    def save_model(self, request, obj, form, change):
        """An account saved in the admin: a new e-mail (for an officer, where the login codes go) is
        told to the address registered until then and in the inbox. An account deactivated is logged
        out everywhere: reactivated later, a session kept (maybe someone else's) would log in again."""
        before = form.initial.get("email") or ""  # the account as it was read for this form
        was_active = form.initial.get("is_active", True)
        super().save_model(request, obj, form, change)
        if change and obj.email.casefold() != before.casefold():
            user_email_change_notify(user=obj, old_email=before)
        if change and was_active and not obj.is_active:
            end_other_sessions(request, obj, reason="ended_by_agency")

    @admin.action(description=gettext_lazy("Đăng xuất tài khoản đã chọn khỏi mọi thiết bị"), permissions=["change"])
    def end_sessions(self, request, queryset):
        """End every session of the selected accounts (the owner is told why on their next
        request) and record it in the admin log of each account. The citizen logins of the officer's
        own record and child's are left, said once, as the person admin's action leaves them; an
        account without a record of its own still manages the others (UserChangeForm)."""
        accounts = list(queryset)
        own = officers_own_person_ids(request.user)
        if refused := [user for user in accounts if user.person_id in own and user.pk != request.user.pk]:
            self.message_user(request, gettext("%(accounts)s: %(why)s") % {
                "accounts": ", ".join(map(str, refused)), "why": OWN_RECORD}, messages.ERROR)
            if len(refused) == len(accounts):
                return
        end_sessions_of(self, request, {user: user for user in accounts if user not in refused})


def end_sessions_of(model_admin, request, logged: dict) -> None:
    """End every session of the accounts `logged` maps (each to the object whose admin log records
    it: the account, or the person it logs in as), but the request's own, telling the owners why on
    their next request."""
    sessions = list(UserSession.objects.filter(user__in=list(logged)).exclude(session_key=request.session.session_key))
    get_usersessions_adapter().end_sessions(sessions, reason="ended_by_agency")
    for user, obj in logged.items():
        model_admin.log_change(request, obj, f"Kết thúc mọi phiên đăng nhập ({sum(s.user_id == user.pk for s in sessions)} phiên).")
    ended = ngettext("Đã kết thúc %(count)s phiên đăng nhập.", "Đã kết thúc %(count)s phiên đăng nhập.", len(sessions))
    model_admin.message_user(request, ended % {"count": len(sessions)}, messages.SUCCESS)


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(AllauthAuthenticatorAdmin):
    """allauth.mfa's admin, whose deletions (one or the selected) tell each holder, as switching
    the app off on the security page does. An authenticator is made only by its holder on the
    security page, who alone is shown its secret: the admin adds none, changes none and shows
    no stored data."""

    exclude = ["data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_deleted_objects(self, objs, request):
        """The confirmation lists, under each app, the recovery codes deleted with it, and counts
        each kind in the summary: "Ứng dụng xác thực (TOTP): 1", "Mã khôi phục: 2"."""
        objs = sorted(objs, key=lambda a: a.type == Authenticator.Type.RECOVERY_CODES)
        going = recovery_codes_deleted_with(objs)
        _, _, perms_needed, protected = super().get_deleted_objects([*objs, *going.values()], request)
        rows = []
        for authenticator in objs:
            rows.append(self._deleted_row(authenticator))
            if authenticator.pk in going:
                rows.append([self._deleted_row(going[authenticator.pk])])
        counts = Counter(str(a.get_type_display()) for a in [*objs, *going.values()])
        return rows, dict(counts), perms_needed, protected

    def _deleted_row(self, authenticator):
        return format_html('{}: <a href="{}">{}</a>', capfirst(self.opts.verbose_name),
                           reverse("admin:mfa_authenticator_change", args=[quote(authenticator.pk)]), authenticator)

    def delete_model(self, request, obj):
        authenticators_delete(authenticators=[obj])

    def delete_queryset(self, request, queryset):
        authenticators_delete(authenticators=queryset.select_related("user__person"))


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
