"""The portal's own account pages under /tai-khoan/ (accounts/urls_auth.py): what allauth lacks.

- The login confirmation step, a stage of allauth's login (accounts/stages.py): the new-device
  code and the warning that the other device will be logged out.
- The forced password change, and the password change confirmed by a code: allauth's change
  form has no code step. Until the code confirms it, the session holds the new password's hash.
- The password reset by SMS (allauth resets by e-mail only): BHXH code → code → new password,
  answering alike whether the BHXH code has an account or not. Asking for the code costs a solved
  challenge (accounts.services.challenge) and counts against the client's limit on resets.
- The security page: the account's sessions (allauth.usersessions), the trusted-browser state and
  "log out everywhere else".
- "Stay signed in" of the warning shown before the idle timeout (static/js/session-timeout.js).
- The login form sent after it expired (CSRF_FAILURE_VIEW): the login page again, with the BHXH code.
"""

import math
import time
from functools import wraps

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.internal.decorators import login_stage_required
from allauth.account.internal.stagekit import LOGIN_SESSION_KEY
from allauth.account.utils import get_next_redirect_url
from allauth.account.views import LoginView
from allauth.core import ratelimit
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.internal.flows import trust
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.http import HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from vssid_portal.cache import cache_reachable
from vssid_portal.ratelimit import LimitRefusal, limit_refusal, minutes_left, retry_after, seconds_until_allowed
from vssid_portal.text import normalize_code
from vssid_portal.views import csrf_failure as portal_csrf_failure
from vssid_portal.views import too_many_requests

from .. import otp
from ..forms_auth import ChangePasswordForm, CodeForm, NewPasswordForm, PasswordResetRequestForm
from ..middleware import is_language_switch
from ..selectors import live_sessions, user_for_reset
from ..services.challenge import ChallengePurpose, ChallengeUnavailable, challenge_issue
from ..services.password_reset import (
    password_reset_client_count,
    password_reset_client_give_back,
    password_reset_client_wait,
    password_reset_code_ask,
)
from ..services.security import SecurityEvent, security_notify, user_password_change, user_password_reset
from ..sessions import PASSWORD_RESET, SEEN, end_other_sessions
from ..stages import (
    PASSWORD_CHANGED_MEANWHILE,
    LoginConfirmStage,
    new_browser_factor,
    send_code_said,
    send_login_code,
    trusted_until,
)
from ..validators import bhxh_code_validator

PENDING_PASSWORD = "portal_pending_password"  # hash of a new password waiting for its code
PASSWORD_CHANGED = "portal_password_changed"  # time the code confirmed the new password
# {"subject": typed BHXH code, "verified_at": time of the code, "seen_at": last request, "password": the session
# hash of the password the code was accepted for}
RESET = PASSWORD_RESET
RESET_WINDOW = 10 * 60  # time to choose the new password once the code is accepted
RESET_IDLE = 5 * 60  # ... and at most this long between two requests of it (a shared computer left)
RESET_DONE = "portal_password_reset_done"  # time the reset's new password was saved
DONE_WINDOW = 10 * 60  # how long Back (or a second submit) on a finished change or reset says it is done


def tells_an_expired_login(view):
    """allauth drops a login that has not passed its stages within LOGIN_TIMEOUT (15 minutes) and
    sends the browser back to the login page without a word: say why, once."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        started = (request.session.get(LOGIN_SESSION_KEY) or {}).get("initiated_at")
        if not request.user.is_authenticated and started and time.time() - started > account_settings.LOGIN_TIMEOUT:
            messages.info(request, gettext(
                "Lượt đăng nhập đã hết hạn vì quá %(minutes)s phút chưa hoàn tất bước xác nhận. "
                "Hãy đăng nhập lại.") % {"minutes": account_settings.LOGIN_TIMEOUT // 60})
        return view(request, *args, **kwargs)
    return wrapper


@sensitive_post_parameters("code")
@tells_an_expired_login
@login_stage_required(stage=LoginConfirmStage.key, redirect_urlname="account_login")
@require_http_methods(["GET", "POST"])
def login_confirm(request):
    stage = request._login_stage
    user = stage.login.user
    code_required = stage.state["code_required"]
    action = request.POST.get("action")
    if action == "cancel":
        return stage.abort()
    if stage.password_changed():
        messages.error(request, PASSWORD_CHANGED_MEANWHILE)
        return stage.abort()
    if code_required and action == "resend":
        send_login_code(request, user)
        return redirect(request.get_full_path())
    recipient = otp.recipient_for(user)
    unsent = code_required and otp.unsent_at_cap(request, purpose=otp.Purpose.LOGIN, subject=str(user.pk),
                                                 recipient=recipient)
    data = request.POST if request.method == "POST" and not unsent else None
    form = (CodeForm(data, purpose=otp.Purpose.LOGIN, subject=str(user.pk), recipient=recipient)
            if code_required else forms.Form(data))
    if form.is_valid():
        response = stage.exit()  # allauth goes on: further stages, then the login itself
        if code_required:
            trust.trust_browser(request, user, response)
            security_notify(user=user, event=SecurityEvent.NEW_BROWSER)
        return response
    return render(request, "accounts_auth/login_confirm.html", {
        "form": form, "code_required": code_required, "unsent": unsent, "other_sessions": live_sessions(user),
        "trust_days": mfa_settings.TRUST_COOKIE_AGE.days,
    })


@sensitive_post_parameters("password1", "password2")
@login_required
@require_http_methods(["GET", "POST"])
def password_change_required(request):
    """A temporary password (new account, reset by an officer) is replaced before anything else.
    No code here: the login that led to this page has just passed the device step."""
    user = request.user
    if not user.must_change_password:
        if time.time() - request.session.get(PASSWORD_CHANGED, 0) <= DONE_WINDOW:  # back, or sent twice: done
            messages.info(request, gettext("Mật khẩu của bạn đã được thay đổi."))
            return _after_new_password(request)
        return redirect("accounts_auth:password_change")
    form = NewPasswordForm(request.POST or None, user=user)
    if form.is_valid():
        user_password_change(request=request, user=user, password_hash=make_password(form.cleaned_data["password1"]))
        request.session[PASSWORD_CHANGED] = time.time()
        return _after_new_password(request)
    return render(request, "accounts_auth/password_change_required.html", {"form": form})


def _after_new_password(request):
    next_url = get_next_redirect_url(request)
    if next_url and is_language_switch(next_url):  # a page to come back to, not an action to repeat
        next_url = None
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


@sensitive_post_parameters("oldpassword", "password1", "password2")
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    user = request.user
    if request.method == "POST" and not ratelimit.consume(request, action="change_password", user=user):
        if not cache_reachable():  # not counted (Redis down): briefly unavailable (503), not "too fast"
            return too_many_requests(request)
        return _refused_too_fast(request, "accounts_auth/password_change.html",
                                 {"form": ChangePasswordForm(user=user), "code_channel": _code_channel(user)},
                                 action="change_password", message=CHANGES_LIMITED)
    form = ChangePasswordForm(request.POST or None, user=user)
    if form.is_valid():
        password_hash = make_password(form.cleaned_data["password1"])
        recipient = otp.recipient_for(user)
        if recipient is None:  # an officer without phone or e-mail: the current password is the check
            user_password_change(request=request, user=user, password_hash=password_hash)
            return redirect("accounts_auth:security")
        request.session[PENDING_PASSWORD] = password_hash
        request.session.pop(PASSWORD_CHANGED, None)
        _send_change_code(request, user)
        return redirect("accounts_auth:password_change_confirm")
    return render(request, "accounts_auth/password_change.html", {"form": form, "code_channel": _code_channel(user)})


@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def password_change_confirm(request):
    user = request.user
    password_hash = request.session.get(PENDING_PASSWORD)
    if not password_hash:
        if time.time() - request.session.get(PASSWORD_CHANGED, 0) <= DONE_WINDOW:  # back, or sent twice: done
            messages.info(request, gettext("Mật khẩu của bạn đã được thay đổi."))
            return redirect("accounts_auth:security")
        return redirect("accounts_auth:password_change")
    if request.POST.get("action") == "resend":
        if not _send_change_code(request, user):  # no phone nor e-mail any more: the change is asked again
            del request.session[PENDING_PASSWORD]
            messages.error(request, NO_CODE_RECIPIENT)
            return redirect("accounts_auth:password_change")
        return redirect("accounts_auth:password_change_confirm")
    recipient = otp.recipient_for(user)
    unsent = otp.unsent_at_cap(request, purpose=otp.Purpose.PASSWORD_CHANGE, subject=str(user.pk),
                               recipient=recipient)
    form = CodeForm(None if unsent else request.POST or None, purpose=otp.Purpose.PASSWORD_CHANGE,
                    subject=str(user.pk), recipient=recipient)
    if form.is_valid():
        del request.session[PENDING_PASSWORD]
        user_password_change(request=request, user=user, password_hash=password_hash)
        request.session[PASSWORD_CHANGED] = time.time()
        return redirect("accounts_auth:security")
    return render(request, "accounts_auth/password_change_confirm.html", {"form": form, "unsent": unsent})


def _refused_too_fast(request, template: str, context: dict, *, action: str, message, key: str | None = None):
    """A post refused by allauth's limit `action` (`ACCOUNT_RATE_LIMITS`) answered on its own page:
    429, as the portal's other refused pages answer, with `message` giving the minutes left and
    Retry-After when the limiter's record tells them (not when it refused because its lock was busy)."""
    wait = seconds_until_allowed(request, action=action, key=key)
    minutes = minutes_left(wait)
    messages.error(request, message % {"minutes": minutes} if minutes else get_adapter().error_messages["rate_limited"])
    return retry_after(render(request, template, context, status=429), wait)


CHANGES_LIMITED = ngettext_lazy(
    "Bạn đã thử đổi mật khẩu quá nhiều lần trong thời gian ngắn. Hãy thử lại sau %(minutes)s phút.",
    "Bạn đã thử đổi mật khẩu quá nhiều lần trong thời gian ngắn. Hãy thử lại sau %(minutes)s phút.",
    "minutes",
)
RESETS_LIMITED = ngettext_lazy(
    "Bạn đã yêu cầu đặt lại mật khẩu quá nhiều lần trong thời gian ngắn. Hãy thử lại sau %(minutes)s phút.",
    "Bạn đã yêu cầu đặt lại mật khẩu quá nhiều lần trong thời gian ngắn. Hãy thử lại sau %(minutes)s phút.",
    "minutes",
)


@never_cache  # its challenge serves once: a page shown again from a cache would post a spent one
@sensitive_post_parameters("bhxh_code")
@require_http_methods(["GET", "POST"])
def password_reset(request):
    """The BHXH code whose reset code is sent. Each post spends a challenge, and a request that
    would send (a valid code, the challenge passed) is counted against the client's limit
    (accounts.services.password_reset) before allauth's limits and the send, and given back when
    they refuse it; a client with no request left, or no challenge left to fail
    (CHALLENGE_FAILURE_RATE), is refused before anything else. Nothing here looks at whether the
    code has an account: refusals and answers are alike for both."""
    if request.method != "POST":
        return _reset_page(request, PasswordResetRequestForm())
    form = PasswordResetRequestForm(request.POST)
    refusal = None if password_reset_client_count(request=request, count=False) else _client_refusal(request)
    if refusal is None:
        refusal = form.failures_refusal(request, unavailable=otp.UNAVAILABLE)
    if refusal is not None:
        return _reset_refused(request, form, refusal)
    try:
        passed = form.challenge_passed(ChallengePurpose.PASSWORD_RESET, request=request)
    except ChallengeUnavailable:  # the cache that records spent challenges is unreachable
        return _reset_refused(request, form, LimitRefusal(503, otp.UNAVAILABLE))
    if not form.is_valid() or not passed:
        return _reset_page(request, form)
    counted = password_reset_client_count(request=request, count=True)
    if not counted:
        return _reset_refused(request, form, _client_refusal(request))
    subject = form.cleaned_data["bhxh_code"]
    if ratelimit.consume(request, action="reset_password", key=subject):
        request.session.pop(RESET_DONE, None)
        request.session[RESET] = {"subject": subject}
        if not _send_reset_code(request, subject):  # refused by the BHXH code's limits: it sent nothing
            password_reset_client_give_back(counted=counted)
        return redirect("accounts_auth:password_reset_code")
    password_reset_client_give_back(counted=counted)  # refused by allauth's limit: nothing sent
    if not cache_reachable():  # the limit could not be counted (Redis down): no fault of the visitor's
        return _reset_refused(request, form, LimitRefusal(503, otp.UNAVAILABLE))
    # Refused by allauth's limit on resets of this code (or from this address).
    wait = seconds_until_allowed(request, action="reset_password", key=subject)
    return _reset_refused(request, form, LimitRefusal(429, RESETS_LIMITED, wait))


def _client_refusal(request) -> LimitRefusal:
    """The refusal of a reset request past the client's ACCOUNT_RESET_PER_CLIENT_RATE: 429 with the wait
    until its oldest request of the hour leaves it, or 503 while Redis cannot count it."""
    return limit_refusal(RESETS_LIMITED, otp.UNAVAILABLE, password_reset_client_wait(request=request))


def _reset_page(request, form):
    """The reset request page, with a new challenge: the one posted is spent."""
    form.ask(challenge_issue(purpose=ChallengePurpose.PASSWORD_RESET))
    return render(request, "accounts_auth/password_reset.html", {"form": form})


def _reset_refused(request, form, refusal: LimitRefusal):
    """A reset request refused by a limit: the form as typed, without error marks (nothing in it is
    wrong), and the refusal's message, with the minutes left when a 429 can tell them (allauth's
    own words when not), as its status says (429, or 503 while Redis is down)."""
    form.is_valid()
    form.errors.clear()
    messages.error(request, _reset_refusal_text(refusal))
    return refusal.answer(_reset_page(request, form))


def _reset_refusal_text(refusal: LimitRefusal) -> str:
    """A reset refusal's message, with the minutes left when a 429 of the resets' limits can tell them
    (allauth's own words when not); another limit's refusal (the challenges failed) is worded already."""
    if refusal.status != 429 or refusal.message is not RESETS_LIMITED:
        return refusal.message
    minutes = minutes_left(refusal.wait)
    return refusal.message % {"minutes": minutes} if minutes else get_adapter().error_messages["rate_limited"]


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def password_reset_code(request):
    reset = request.session.get(RESET)
    if not reset:
        return redirect("accounts_auth:password_reset")
    if _reset_verified(reset):  # back here from the next step: the code was used, the step is done
        return redirect("accounts_auth:password_reset_new")
    if request.POST.get("action") == "resend":  # a request that would send: the client's limit counts it too
        counted = password_reset_client_count(request=request, count=True)
        refusal = None if counted else _client_refusal(request)
        if refusal is None:
            if not _send_reset_code(request, reset["subject"]):  # asked again too soon, or the code's hour full
                password_reset_client_give_back(counted=counted)
            return redirect("accounts_auth:password_reset_code")
        messages.error(request, _reset_refusal_text(refusal))
        return refusal.answer(_reset_code_page(request, reset, post=False))
    return _reset_code_page(request, reset, post=True)


def _reset_code_page(request, reset: dict, *, post: bool):
    """The page asking the reset's code, checking the one posted when `post`; a right code moves the
    reset to its new password."""
    unsent = _reset_unsent_at_cap(request, reset["subject"])
    form = CodeForm((request.POST or None) if post and not unsent else None, purpose=otp.Purpose.PASSWORD_RESET,
                    subject=reset["subject"])
    if form.is_valid():
        now = time.time()
        user = user_for_reset(bhxh_code=reset["subject"])
        # The password the code gives the right to replace (its session hash, not the hash itself).
        password = user.get_session_auth_hash() if user is not None else ""
        request.session[RESET] = {**reset, "verified_at": now, "seen_at": now, "password": password}
        return redirect("accounts_auth:password_reset_new")
    return render(request, "accounts_auth/password_reset_code.html",
                  {"form": form, "bhxh_code": reset["subject"], "unsent": unsent})


def _reset_verified(reset: dict) -> bool:
    """Whether the reset's code was accepted less than RESET_WINDOW ago, and its last request was
    less than RESET_IDLE ago."""
    now = time.time()
    return (now - reset.get("verified_at", 0) <= RESET_WINDOW
            and now - reset.get("seen_at", reset.get("verified_at", 0)) <= RESET_IDLE)


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def password_reset_new(request):
    reset = request.session.get(RESET, {})
    user = None
    if _reset_verified(reset):
        user = user_for_reset(bhxh_code=reset["subject"])
        if user is not None and "password" in reset and not user.has_session_auth_hash(reset["password"]):
            del request.session[RESET]
            return _reset_overtaken(request, user)
    elif "verified_at" in reset:  # its time is over: the reset ends, a new one starts from the BHXH code
        del request.session[RESET]
    if user is None:
        if time.time() - request.session.get(RESET_DONE, 0) <= DONE_WINDOW:  # back, or sent twice: it is done
            messages.info(request, gettext("Mật khẩu mới đã được lưu. Hãy đăng nhập bằng mật khẩu mới."))
            return redirect("account_login")
        messages.error(request, gettext("Phiên đặt lại mật khẩu đã hết hạn. Hãy bắt đầu lại."))
        return redirect("accounts_auth:password_reset")
    now = time.time()
    request.session[RESET] = {**reset, "seen_at": now}
    form = NewPasswordForm(request.POST or None, user=user)
    if form.is_valid():
        del request.session[RESET]
        password_hash = make_password(form.cleaned_data["password1"])
        if not user_password_reset(request=request, user=user, password_hash=password_hash,
                                   password_seen=reset.get("password")):
            user.refresh_from_db(fields=["password"])
            return _reset_overtaken(request, user)
        request.session[RESET_DONE] = time.time()
        return redirect("account_login")
    # The minutes it has from now: RESET_IDLE, or what is left of RESET_WINDOW when that is less.
    left = min(RESET_IDLE, RESET_WINDOW - (now - reset["verified_at"]))
    return render(request, "accounts_auth/password_reset_new.html",
                  {"form": form, "idle_minutes": max(1, math.floor(left / 60))})


def _reset_overtaken(request, user):
    """The account's password changed after the reset's code was accepted: by this reset sent twice
    at once (the password typed is the one saved: said saved, as a second submit is), or by the
    holder meanwhile (the reset starts again from the BHXH code)."""
    if request.method == "POST" and user.check_password(request.POST.get("password1", "")):
        request.session[RESET_DONE] = time.time()
        messages.info(request, gettext("Mật khẩu mới đã được lưu. Hãy đăng nhập bằng mật khẩu mới."))
        return redirect("account_login")
    messages.error(request, gettext("Phiên đặt lại mật khẩu đã hết hạn. Hãy bắt đầu lại."))
    return redirect("accounts_auth:password_reset")


@login_required
@require_http_methods(["GET", "POST"])
def security(request):
    user = request.user
    if request.method == "POST":
        end_other_sessions(request, user, reason="signed_out_elsewhere")
        messages.success(request, gettext("Đã đăng xuất tài khoản khỏi mọi thiết bị khác."))
        return redirect("accounts_auth:security")
    current = request.session.session_key
    sessions = sorted(
        live_sessions(user, current_key=current),
        key=lambda session: (session.session_key != current, -session.last_seen_at.timestamp()),
    )
    return render(request, "accounts_auth/security.html", {
        "sessions": sessions, "current_key": current, "trusted_until": trusted_until(request, user),
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60, "login_factor": new_browser_factor(user),
    })


def _code_channel(user) -> str | None:
    """Where the user's codes go (SMS or e-mail, otp.recipient_for), for the pages that announce
    them before one is sent; None when the account can receive none."""
    recipient = otp.recipient_for(user)
    return recipient.channel if recipient else None


# The confirmation page's "Gửi lại mã" once the account can receive no code (an officer removed the phone
# meanwhile, and there is no e-mail): the change form then takes the current password as the only check.
NO_CODE_RECIPIENT = gettext_lazy("Tài khoản không còn số điện thoại hoặc email để nhận mã xác thực. Hãy nhập lại "
                                 "mật khẩu hiện tại và mật khẩu mới.")


def _send_change_code(request, user) -> bool:
    """Ask the password change's code for `user`, the page's message said; False, nothing asked nor said,
    when the account has no phone nor e-mail to receive it (otp.recipient_for)."""
    recipient = otp.recipient_for(user)
    if recipient is None:
        return False
    send_code_said(request, purpose=otp.Purpose.PASSWORD_CHANGE, user=user, recipient=recipient)
    return True


def _send_reset_code(request, subject: str) -> bool:
    """The same answer, and the same work, whether the BHXH code has an account or not: both meet the
    limits counted under the BHXH code, said naming no phone; the account is looked up, and its
    phone's own cap counted, by the worker that sends the code (password_reset_code_ask). Whether the
    code was answered as sent, alike for both: False when the BHXH code's limits refused it. Unlike the
    login's and the password change's codes (stages.send_code_said) it names no phone and says no code
    sent nor one still good: that would tell which BHXH codes have accounts."""
    try:
        password_reset_code_ask(request=request, subject=subject)
    except otp.SendRefused as refusal:  # alike for an account or none
        if not _reset_unsent_at_cap(request, subject):  # else the page says it in place of the code field
            messages.error(request, refusal.message)
        return False
    messages.info(request, otp.reset_sent_note())
    return True


def _reset_unsent_at_cap(request, subject: str) -> str | None:
    """otp.unsent_at_cap for the reset of `subject`, alike whether the BHXH code has an account or not:
    counted under the BHXH code, it needs no account looked up."""
    return otp.unsent_at_cap(request, purpose=otp.Purpose.PASSWORD_RESET, subject=subject, recipient=None,
                             quiet=True)


@login_required
@require_POST
def session_keepalive(request):
    """The idle-timeout warning's "continue": this request is activity, stamped now (the session
    rules stamp it at most once a minute). The warning's script asks for no page back."""
    request.session[SEEN] = time.time()
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect(get_next_redirect_url(request) or "accounts:personal")


def csrf_failure(request, reason=""):
    """A login form whose token no longer matches the browser's (left open too long, or a login or
    logout in another tab since) logs nobody in: the login page comes back, saying so, with a fresh
    form holding the BHXH code typed, so only the password is typed again (never sent back). Only a
    BHXH code is kept: what a form posted from elsewhere puts in the box is ten digits at most. Any
    other form, or a browser that sends no cookie, gets the portal's page (vssid_portal.views); a browser
    logged in meanwhile goes on as a logged-in visit of the login page does."""
    if request.method != "POST" or request.path != reverse("account_login") or reason == REASON_NO_CSRF_COOKIE:
        return portal_csrf_failure(request, reason)
    request.method = "GET"  # the page as first shown: nothing of the post is read as a login
    if request.user.is_authenticated:  # logged in meanwhile, in another tab: on as a visit of the page would
        return LoginView.as_view()(request)
    code = normalize_code(request.POST.get("login", ""))
    kept = code if bhxh_code_validator.regex.fullmatch(code) else ""
    messages.error(request, gettext("Trang đăng nhập đã mở quá lâu hoặc bạn vừa đăng nhập, đăng xuất ở thẻ khác, nên "
                                    "chưa đăng nhập được. Hãy nhập lại mật khẩu rồi bấm “Đăng nhập”.") if kept else
                   gettext("Trang đăng nhập đã mở quá lâu hoặc bạn vừa đăng nhập, đăng xuất ở thẻ khác, nên chưa "
                           "đăng nhập được. Hãy nhập lại mã số BHXH và mật khẩu rồi bấm “Đăng nhập”."))
    response = LoginView.as_view(initial={"login": kept} if kept else {})(request)
    response.status_code = 403
    return response
