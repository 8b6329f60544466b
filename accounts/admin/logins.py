"""The accounts (logins) in the admin: the officer's own record in the registry that each staff login
names, the password set by the agency, a changed e-mail told, and logging accounts out everywhere."""


from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from ..models import Person, User
from ..selectors import (
    OWN_RECORD,
    officers_own_person_ids,
    staff_login_of_record,
)
from ..services.security import user_email_change_notify, user_password_set_by_agency
from ..sessions import end_other_sessions
from .permissions import PermissionsInVietnamese


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
