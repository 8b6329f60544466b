"""django-allauth adapters: the portal's rules for accounts and sessions.

Self-service sign-up is closed: citizen accounts are created when an officer approves a
registration (`/dang-ky/`), never through allauth's sign-up form. Messages a citizen can meet
at login are worded in Vietnamese here (allauth ships no Vietnamese catalogue).

Logins run through the portal's confirmation stage (accounts/stages.py) and, for accounts that
set up an authenticator app, allauth.mfa's own stage, its trusted browsers read under the fallback
keys too (accounts.stages.AuthenticateStage). Sessions end through allauth.usersessions,
leaving a note so that the browser whose session ended is told why (accounts/middleware.py). A
password changed or reset, and a login that trusts a new browser, are told to the account holder
(`security_notify`).
"""

import hashlib
import ipaddress
import time
from importlib import import_module
from typing import NamedTuple

from allauth.account.adapter import DefaultAccountAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from vssid_portal.middleware import language_switched_to
from vssid_portal.ratelimit import clear, minutes_left, seconds_until_allowed
from vssid_portal.text import normalize_code, with_hotline

from .services.language import user_language_set
from .services.security import SecurityEvent, security_notify
from .sessions import TIME_OUT_MESSAGES, time_out_message, time_out_reason


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": with_hotline(_("Tài khoản này đang bị khóa. Hãy liên hệ cơ quan BHXH hoặc tổng đài %(hotline)s.")),
        "username_password_mismatch": _("Mã số BHXH (tên đăng nhập) hoặc mật khẩu không đúng."),
        "invalid_login": _("Thông tin đăng nhập không hợp lệ."),
        "incorrect_code": _("Mã xác thực không đúng."),
        "incorrect_password": _("Mật khẩu không đúng."),
        "enter_current_password": _("Mật khẩu hiện tại không đúng."),
        "too_many_login_attempts": format_lazy(
            _("Bạn đã nhập sai mật khẩu quá nhiều lần nên việc đăng nhập tạm bị khóa để bảo vệ tài khoản. "
              "Hãy thử lại sau {minutes} phút, hoặc dùng “Quên mật khẩu?” để đặt mật khẩu mới."),
            minutes=settings.ACCOUNTS_LOGIN_LOCK_MINUTES,
        ),
        "rate_limited": _("Bạn gửi yêu cầu quá nhanh. Hãy đợi một lát rồi thử lại."),
        "same_as_current": _("Giá trị mới phải khác giá trị hiện tại."),
    }

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        """Where a login lands when it names no safe `next` (allauth has honoured one already):
        staff go to where they work, citizens to their personal area."""
        place = workplace(request.user)
        return place.url if place else super().get_login_redirect_url(request)

    def post_login(self, request, user, **kwargs):
        """A login from a browser whose visitor chose a language with the switcher, before logging in
        or on the code step, remembers it for the account's notices, once every login stage is passed:
        the password alone changes nothing on the account (the new device's code is only written in
        that language, accounts.stages.send_login_code)."""
        if chosen := language_switched_to(request):
            user_language_set(user=user, language=chosen)
        return super().post_login(request, user, **kwargs)

    def get_login_stages(self):
        return ["accounts.stages.LoginConfirmStage", "accounts.stages.AuthenticateStage"]

    def get_client_ip(self, request):
        """The client's address in its plain form: every rate limit keys by it (allauth's, and the
        portal's through vssid_portal.ratelimit). Behind a dual-stack socket (gunicorn bound to
        [::]) an IPv4 client arrives as ::ffff:a.b.c.d, whose IPv6 /64 is ::/64 for every IPv4
        client: one network limit would then hold back the whole country."""
        address = ipaddress.ip_address(super().get_client_ip(request))
        return str(getattr(address, "ipv4_mapped", None) or address)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """allauth's notice of a password changed or reset (sent by its finalize_password_change
        and finalize_password_reset) goes out as the portal's security notice; its other e-mail
        notices stay off (ACCOUNT_EMAIL_NOTIFICATIONS)."""
        event = ALLAUTH_NOTICES.get(template_prefix)
        if event is None:
            return super().send_notification_mail(template_prefix, user, context=context, email=email)
        security_notify(user=user, event=event)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The account whose failed logins the failed-login limit counts (its per-key rate), the login
        as the login form reads it (accounts.forms.LoginForm: a BHXH code with spaces or fullwidth
        digits is the same code) and lower-cased, as allauth does. allauth prefixes the current site's
        domain, which without django.contrib.sites is the request's Host header as sent: a port or a
        trailing dot that ALLOWED_HOSTS accepts would then start a fresh count on the same account.
        pre_authenticate and clear_failed_logins both key by this, and allauth's end of a reset. The
        username first (ACCOUNT_LOGIN_METHODS): allauth's re-authentication passes the account's e-mail
        too, which several accounts may share (a family's), and its failures must lock this account
        alone, under the same key as the login form's and the one a reset lifts."""
        login = credentials.get("username") or credentials.get("email", "")
        return f"login:{normalize_code(login or '').lower()}"

    def pre_authenticate(self, request, **credentials) -> None:
        """allauth's failed-login limit, whose refusal says when logging in is open again (the
        lock lifts when the oldest failure still counted leaves the window, rarely the whole
        window that allauth's message names) and what was locked: the network address whose
        failures on other accounts have reached the address's limit, or the account. The address
        is named first, as allauth checks it first, and "Quên mật khẩu?" does not lift its lock
        (clear_failed_logins); the wait is that of the lock that lifts last."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as refusal:
            if refusal.code != "too_many_login_attempts":
                raise
            key = self._get_login_attempts_cache_key(request, **credentials)
            if seconds_until_allowed(request, action="login_failed", per="ip") is not None:
                message = NETWORK_LOCKED
            elif seconds_until_allowed(request, action="login_failed", key=key, per="key") is not None:
                message = ACCOUNT_LOCKED
            else:  # refused without a full record (the limiter's lock was busy): as allauth says
                raise
            wait = seconds_until_allowed(request, action="login_failed", key=key)  # the lock that lifts last
            minutes = minutes_left(wait)
            raise ValidationError(message % {"minutes": minutes},
                                  code="too_many_login_attempts") from None

    def clear_failed_logins(self, request, user) -> None:
        """After a reset the lock on the account's failed logins goes: the owner has just proved
        who they are. The lock on the network the reset comes from stays (allauth's own reset
        clears it too): its failures were on other accounts, which one account's reset must not
        open to more tries."""
        clear(request, action="login_failed", key=self._get_login_attempts_cache_key(request, username=user.username),
              per="key")


# Said when a login is refused by the failed-login limit, with the minutes left.
ACCOUNT_LOCKED = ngettext_lazy(
    "Bạn đã nhập sai mật khẩu quá nhiều lần nên việc đăng nhập tạm bị khóa để bảo vệ tài khoản. "
    "Hãy thử lại sau %(minutes)s phút, hoặc dùng “Quên mật khẩu?” để đặt mật khẩu mới.",
    "Bạn đã nhập sai mật khẩu quá nhiều lần nên việc đăng nhập tạm bị khóa để bảo vệ tài khoản. "
    "Hãy thử lại sau %(minutes)s phút, hoặc dùng “Quên mật khẩu?” để đặt mật khẩu mới.",
    "minutes",
)
NETWORK_LOCKED = ngettext_lazy(
    "Có quá nhiều lần đăng nhập sai từ mạng bạn đang dùng, nên việc đăng nhập từ mạng này tạm bị khóa "
    "để bảo vệ các tài khoản. Hãy thử lại sau %(minutes)s phút.",
    "Có quá nhiều lần đăng nhập sai từ mạng bạn đang dùng, nên việc đăng nhập từ mạng này tạm bị khóa "
    "để bảo vệ các tài khoản. Hãy thử lại sau %(minutes)s phút.",
    "minutes",
)

# Said when allauth.mfa refuses the app's (or a recovery) code after too many wrong ones.
CODE_LOCKED = ngettext_lazy(
    "Bạn đã nhập sai mã xác thực quá nhiều lần nên việc nhập mã tạm bị khóa để bảo vệ tài khoản. "
    "Hãy thử lại sau %(minutes)s phút.",
    "Bạn đã nhập sai mã xác thực quá nhiều lần nên việc nhập mã tạm bị khóa để bảo vệ tài khoản. "
    "Hãy thử lại sau %(minutes)s phút.",
    "minutes",
)
NETWORK_CODE_LOCKED = ngettext_lazy(
    "Có quá nhiều lần nhập sai mật khẩu hoặc mã xác thực từ mạng bạn đang dùng, nên việc nhập mã xác thực "
    "từ mạng này tạm bị khóa để bảo vệ các tài khoản. Hãy thử lại sau %(minutes)s phút.",
    "Có quá nhiều lần nhập sai mật khẩu hoặc mã xác thực từ mạng bạn đang dùng, nên việc nhập mã xác thực "
    "từ mạng này tạm bị khóa để bảo vệ các tài khoản. Hãy thử lại sau %(minutes)s phút.",
    "minutes",
)


def code_attempts_refusal(request, user) -> ValidationError:
    """allauth.mfa's refusal of a code (login's second step, reauthentication) once its
    failed-login limit is reached, counted on the account (`mfa-auth-user-<pk>`) and the address:
    what was locked and the minutes until the oldest failure still counted leaves the window. The
    address is named first, as allauth checks it first (see pre_authenticate)."""
    key = f"mfa-auth-user-{user.pk}"
    if seconds_until_allowed(request, action="login_failed", per="ip") is not None:
        message, wait = NETWORK_CODE_LOCKED, seconds_until_allowed(request, action="login_failed", key=key)
    elif (wait := seconds_until_allowed(request, action="login_failed", key=key, per="key")) is not None:
        message = CODE_LOCKED
    else:  # refused without a full record (the limiter's lock was busy): the whole window
        message, wait = CODE_LOCKED, settings.ACCOUNTS_LOGIN_LOCK_MINUTES * 60
    minutes = minutes_left(wait)
    return ValidationError(message % {"minutes": minutes}, code="too_many_login_attempts")


ALLAUTH_NOTICES = {
    "account/email/password_changed": SecurityEvent.PASSWORD_CHANGED,
    "account/email/password_reset": SecurityEvent.PASSWORD_RESET,
}


class Workplace(NamedTuple):
    url: str
    link_text: str


def workplace(user) -> Workplace | None:
    """Where a staff account works: clinic staff the card verify page, officers the admin; None
    for a citizen. (Clinic staff enter visits in the admin too, but checking cards is their day.)"""
    if user.facility_id and user.has_perm("health_card.verify_card"):
        return Workplace(reverse("health_card:verify"), _("Đến trang xác thực thẻ BHYT"))
    if user.is_staff:
        return Workplace(reverse("admin:index"), _("Đến trang quản trị"))
    return None


# Why a session ended, as told to the browser that held it on its next request.
SESSION_END_MESSAGES = {
    "logged_in_elsewhere": with_hotline(_(
        "Tài khoản của bạn vừa được đăng nhập trên thiết bị khác, nên phiên làm việc trên thiết bị này "
        "đã kết thúc. Nếu không phải bạn đăng nhập, hãy đổi mật khẩu ngay hoặc gọi tổng đài %(hotline)s."
    )),
    "signed_out_elsewhere": _("Phiên làm việc trên thiết bị này đã được đăng xuất từ một thiết bị khác của bạn."),
    "ended_by_agency": with_hotline(_(
        "Cơ quan BHXH đã kết thúc phiên làm việc của tài khoản này để bảo vệ tài khoản. "
        "Hãy đăng nhập lại; nếu cần hỗ trợ, gọi tổng đài %(hotline)s."
    )),
    "password_changed": _(
        "Mật khẩu tài khoản vừa được thay đổi, nên phiên làm việc trên thiết bị này đã kết thúc. "
        "Hãy đăng nhập bằng mật khẩu mới."
    ),
}

class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions, reason: str = "signed_out_elsewhere") -> None:
        """End the sessions as allauth does (the session store entry is deleted) and note why: the
        reason given; for a login elsewhere, the time-out that had already ended a session still
        stored (any other reason, a password change or the agency's, is told as it is)."""
        now, store = time.time(), import_module(settings.SESSION_ENGINE).SessionStore
        for session in sessions:
            ended = reason
            if reason == "logged_in_elsewhere":
                ended = time_out_reason(store(session.session_key).load(), now) or reason
            cache.set(_end_note_key(session.session_key), ended, settings.SESSION_COOKIE_AGE)
        super().end_sessions(sessions)


def pop_session_end_message(session_key: str) -> str | None:
    """The message for a browser whose session was ended from elsewhere, told once."""
    key = _end_note_key(session_key)
    reason = cache.get(key)
    if reason is None:
        return None
    cache.delete(key)
    return time_out_message(reason) if reason in TIME_OUT_MESSAGES else SESSION_END_MESSAGES[reason]


def _end_note_key(session_key: str) -> str:
    return f"accounts:session-ended:{hashlib.sha256(session_key.encode()).hexdigest()}"
