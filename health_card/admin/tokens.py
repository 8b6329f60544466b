"""Officers' admin of clinic API tokens: made for the clinics of the officer's province, shown once,
stored hashed, revoked from the list."""

import datetime
import secrets

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from vssid_portal.admin import NotFoundOutsideScope, SaysWhyNoAgencySeesNothing
from vssid_portal.templatetags.vn_format import vn_date

from ..models import FacilityApiToken
from ..models.card import TOKEN_MAX_YEARS, TOKEN_YEARS, add_years
from ..selectors import tokens_visible_to
from ..services import (
    api_token_create,
    api_token_expiry,
    api_token_made_from_nonce,
    api_token_refusal,
    api_token_revoke,
)
from .card import _saved_as

TOKEN_FORM_MINUTES = 15  # how long an opened "add a token" form may be posted
TOKEN_FORM_SESSION_TAG = "health_card.api_token_form"  # the session value a form's nonce is bound to


class ApiTokenAddForm(forms.ModelForm):
    """A new clinic token. The form carries a random one-time nonce, signed for the officer and
    their session, and the token is derived from it: the same form posted twice (a double click, a
    browser re-posting after a slow answer) shows the one token its first post made, and the plain
    token is kept nowhere on the server in between."""

    nonce = forms.CharField(widget=forms.HiddenInput, required=False)  # its errors are the form's own
    expires_on = forms.DateField(
        label=gettext_lazy("Dùng được đến hết ngày"), required=False)
    request = None  # the admin's get_form binds the form to the officer's request

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].help_text = " ".join([  # each number with its own plural, in the page's language
            ngettext("dd/mm/yyyy; để trống: %(count)s năm kể từ hôm nay;", "dd/mm/yyyy; để trống: %(count)s năm kể từ "
                     "hôm nay;", TOKEN_YEARS) % {"count": TOKEN_YEARS},
            ngettext("tối đa %(count)s năm.", "tối đa %(count)s năm.", TOKEN_MAX_YEARS) % {"count": TOKEN_MAX_YEARS},
            gettext("Khi hết hạn, phần mềm của cơ sở KCB cần được cấp mã mới.")])
        if not self.is_bound:
            self.initial["nonce"] = self._new_nonce()
            self.initial["expires_on"] = add_years(timezone.localdate(), TOKEN_YEARS)

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        return api_token_expiry(day) if day else None  # None: the default life (api_token_create)

    def _salt(self) -> str:
        return f"health_card.api_token_form:{self.request.user.pk}:{self._session_tag()}"

    def _session_tag(self) -> str:
        """A random value kept in the officer's session, which binds the nonce to it: not the session's key,
        which Django renews within the same session (on its first request after SECRET_KEY was rotated),
        so that the form posted again there finds the token its first post made instead of being refused
        as another session's, and its form shown again making a second one."""
        session = self.request.session
        if TOKEN_FORM_SESSION_TAG not in session:
            session[TOKEN_FORM_SESSION_TAG] = secrets.token_urlsafe(16)
        return session[TOKEN_FORM_SESSION_TAG]

    def _new_nonce(self) -> str:
        return signing.dumps(secrets.token_urlsafe(32), salt=self._salt())

    def _refuse(self, message: str) -> None:
        """A form error; the page shown again carries a new nonce, so that saving it makes a token."""
        self.add_error(None, message)
        self.data = self.data.copy()
        self.data[self.add_prefix("nonce")] = self._new_nonce()

    def clean(self):
        data = super().clean()
        try:
            nonce = signing.loads(data.get("nonce") or "", salt=self._salt(), max_age=TOKEN_FORM_MINUTES * 60)
        except signing.SignatureExpired:
            # Posted again too late (a reload or Back of the page showing the token): the token its
            # first post made is not shown again, nor may the officer think none was made.
            made, _raw = api_token_made_from_nonce(signing.loads(data["nonce"], salt=self._salt())) or (None, None)
            if made is not None and made.revoked_at is not None:
                self.add_error(None, api_token_refusal(made, facility=made.facility, name=made.name))  # revoked
                return data
            if made is not None:
                self.add_error(None, gettext(
                    "Biểu mẫu này đã tạo mã %(prefix)s… cho %(facility)s, tên “%(name)s” (trang tạo mã đã mở quá "
                    "%(minutes)s phút nên không hiện lại mã được): không tạo thêm mã nào. Nếu chưa chép được mã đó, "
                    "hãy thu hồi nó trong danh sách mã rồi mở lại trang “Thêm mã truy cập API xác thực thẻ” để tạo "
                    "mã mới.") % {"prefix": made.prefix, "facility": made.facility, "name": made.name,
                                  "minutes": TOKEN_FORM_MINUTES})
                return data
            self._refuse(gettext("Trang tạo mã đã mở quá %(minutes)s phút: chưa tạo mã nào. Hãy kiểm tra lại cơ sở "
                                 "KCB và tên gợi nhớ rồi bấm “Lưu lại”.") % {"minutes": TOKEN_FORM_MINUTES})
            return data
        except signing.BadSignature:
            self._refuse(gettext("Trang tạo mã không hợp lệ hoặc được mở trong một phiên đăng nhập khác. Nếu trang "
                                 "đó đã tạo mã, mã ấy có trong danh sách mã truy cập API. Để tạo mã mới, hãy kiểm tra "
                                 "lại cơ sở KCB và tên gợi nhớ rồi bấm “Lưu lại”."))
            return data
        data["nonce"] = nonce
        if data.get("facility") is None or not data.get("name"):
            return data
        made, _raw = api_token_made_from_nonce(nonce) or (None, None)  # by an earlier post of this form
        if made is not None and (refusal := api_token_refusal(made, facility=data["facility"], name=data["name"],
                                                              created_by=self.request.user,
                                                              expires_at=data.get("expires_on"))):
            self._refuse(refusal)
        return data


EXPIRING_DAYS = 30


class ExpiryFilter(admin.SimpleListFilter):
    """Tokens past their expiry, or live ones reaching it within EXPIRING_DAYS (whose clinics need a
    new one soon; a revoked token needs none)."""

    title = pgettext_lazy("mã truy cập API", "hạn sử dụng")
    parameter_name = "het_han"

    def lookups(self, request, model_admin):
        return [("da_het", pgettext_lazy("mã truy cập API", "Đã hết hạn")),
                ("sap_het", ngettext("Hết hạn trong %(days)s ngày tới", "Hết hạn trong %(days)s ngày tới",
                                     EXPIRING_DAYS) % {"days": EXPIRING_DAYS})]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "da_het":
            return queryset.filter(expires_at__lte=now)
        if self.value() == "sap_het":
            return queryset.filter(expires_at__gt=now, expires_at__lte=now + datetime.timedelta(days=EXPIRING_DAYS),
                                   revoked_at__isnull=True)
        return queryset


class _TokenRefused(Exception):
    """The same form posted at the same moment with another clinic, name or expiry: nothing is made."""


@admin.register(FacilityApiToken)
class FacilityApiTokenAdmin(SaysWhyNoAgencySeesNothing, NotFoundOutsideScope, admin.ModelAdmin):
    no_agency_warning = gettext_lazy("Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có mã truy cập API nào để xem. "
                                     "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc.")
    list_display = ["prefix", "name", "facility", "creator", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = [ExpiryFilter]
    fields = ["facility", "name", "expires_on"]
    autocomplete_fields = ["facility"]
    actions = ["revoke"]

    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("facility", "created_by__agency")
        return tokens_visible_to(request.user, tokens)

    @admin.display(description=gettext_lazy("người tạo"), ordering="created_by__username")
    def creator(self, obj):
        user = obj.created_by
        if user is None:
            return "—"
        return f"{user.username} – {user.agency}" if user.agency_id else user.username

    # A token's page: what the list shows of it, none of it editable (the token itself is nowhere).
    shown_fields = ["prefix", "facility", "name", "creator", "created_at", "expires_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.shown_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.shown_fields if obj is not None else [*self.fields, "nonce"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        form = super().get_form(request, obj, change=change, form=ApiTokenAddForm, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def add_view(self, request, form_url="", extra_context=None):
        # A token cannot be edited: nothing to go on editing once it is made.
        extra_context = {**(extra_context or {}), "show_save_and_continue": False}
        try:
            return super().add_view(request, form_url, extra_context)
        except _TokenRefused as refused:  # raised inside the admin's transaction: it made nothing
            messages.error(request, str(refused))
            return HttpResponseRedirect(request.path)

    def has_change_permission(self, request, obj=None):
        # Nothing on a token's page can be changed (it is revoked from the list, with the change
        # permission): the page only shows it, with a way back, and a post to it is refused.
        return obj is None and super().has_change_permission(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "facility":  # a clinic without a BHYT contract checks no card (views.verify)
            field.queryset = field.queryset.filter(bhyt_contract=True)
        if db_field.name == "facility" and not request.user.is_superuser:
            # The clinics of the officer's province; a staff account without an agency gets none.
            agency = request.user.agency if request.user.agency_id else None
            field.queryset = field.queryset.filter(province_id=agency.province_id) if agency else field.queryset.none()
        return field

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            token, raw = api_token_create(facility=obj.facility, name=obj.name, created_by=request.user,
                                          nonce=form.cleaned_data["nonce"], expires_at=form.cleaned_data["expires_on"])
        except ValidationError as error:
            raise _TokenRefused(" ".join(error.messages)) from error
        _saved_as(obj, token)
        obj.plain_token = raw  # for response_add, in this request only

    def response_add(self, request, obj, post_url_continue=None):
        """The token on the answer to the form itself, not in a message carried to the next page:
        Django keeps messages in a cookie, signed but readable, in the browser and proxy logs. The
        page is cached nowhere; posted again (a reload), the form's nonce shows the same token. A
        form opened as a popup gets this page too: the admin's page closing the popup shows it nowhere."""
        raw = obj.plain_token  # save_model sets it on every token it makes
        token_url = reverse("admin:health_card_facilityapitoken_change", args=[obj.pk])
        # The admin's own words, without its "below" (what is below here is the way on).
        added = format_html(gettext('{name} “<a href="{url}">{token}</a>” được thêm vào thành công.'),
                            name=self.opts.verbose_name, url=token_url, token=obj)
        # Capitalised once made (the English sentence starts with "The"): only its first letter, of the escaped name.
        self.message_user(request, mark_safe(capfirst(added)), messages.SUCCESS)
        if "_addanother" in request.POST:
            next_url, next_label = request.get_full_path(), gettext("Thêm mã khác")
        else:
            next_url, next_label = self.response_post_save_add(request, obj).url, gettext("Về danh sách mã truy cập")
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "title": gettext("Mã truy cập API vừa tạo"),
            "token": obj, "raw": raw, "expires_on": vn_date(obj.expires_at), "next_url": next_url,
            "next_label": next_label, "list_url": reverse("admin:health_card_facilityapitoken_changelist"),
        }
        response = TemplateResponse(request, "admin/health_card/facilityapitoken/made.html", context)
        patch_cache_control(response, no_store=True)
        return response

    def log_addition(self, request, obj, message):
        # The same form posted again shows the token its first post made: one addition in the log.
        made = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                                       object_id=str(obj.pk), action_flag=ADDITION)
        if not made.exists():
            return super().log_addition(request, obj, message)
        return None

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Thu hồi mã đã chọn"), permissions=["change"])
    def revoke(self, request, queryset):
        tokens, revoked = list(queryset), []
        for token in tokens:
            if api_token_revoke(token=token):
                self.log_change(request, token, "Thu hồi mã truy cập API.")  # who revoked it, and when
                revoked.append(token)
        already = len(tokens) - len(revoked)
        if revoked:
            names = ", ".join(str(token) for token in revoked)
            done = ngettext("Đã thu hồi %(count)s mã: %(names)s.", "Đã thu hồi %(count)s mã: %(names)s.", len(revoked))
            self.message_user(request, done % {"count": len(revoked), "names": names}, messages.SUCCESS)
        if already:
            self.message_user(request, ngettext("%(count)s mã đã chọn đã bị thu hồi từ trước: không thay đổi.",
                                                "%(count)s mã đã chọn đã bị thu hồi từ trước: không thay đổi.",
                                                already) % {"count": already},
                              messages.WARNING if not revoked else messages.INFO)
