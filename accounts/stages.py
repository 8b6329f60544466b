"""The portal's step in allauth's login: confirm a new device and the end of the other session.

allauth runs the login stages (`AccountAdapter.get_login_stages`) after the password is checked
and before the user is logged in. This stage
- asks a browser that is not trusted yet for a code sent to the registered phone (otp.py), then
  trusts it for `MFA_TRUST_COOKIE_AGE` through allauth.mfa's signed cookie, which is bound to
  the password hash, so a password change untrusts every browser;
- warns, on the same page, when the account is logged in on another device: continuing logs
  that device out (the single-session receiver in signals.py does it).

allauth's LoginByCodeStage is not used: it prefers an e-mail address, keeps the code itself in
the session, asks a separate "trust this browser?" question, and has no resend cooldown or cap.
Accounts with an authenticator app skip the SMS code: allauth.mfa's stage asks for the stronger
factor (`AuthenticateStage`, which reads a browser's trust as this stage does). An account with neither phone nor e-mail (an officer created without contact details)
cannot receive a code; it skips the step with a warning in the log rather than being locked out.
"""

import logging
from datetime import datetime

from allauth.account.stages import LoginStage
from allauth.core.internal.httpkit import headed_redirect_response
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.internal.flows import trust
from allauth.mfa.models import Authenticator
from allauth.mfa.stages import AuthenticateStage as AllauthAuthenticateStage
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vssid_portal.middleware import language_switched_to
from vssid_portal.secret_keys import secret_keys

from . import otp
from .selectors import live_sessions

logger = logging.getLogger(__name__)


NO_SECOND_FACTOR = _(
    "Tài khoản cán bộ này chưa có số điện thoại hoặc email để nhận mã xác thực, nên chưa đăng nhập được. "
    "Hãy đề nghị quản trị hệ thống bổ sung."
)


PASSWORD_CHANGED_MEANWHILE = _(
    "Mật khẩu tài khoản vừa được thay đổi, nên lượt đăng nhập này đã kết thúc. Hãy đăng nhập bằng mật khẩu mới."
)


class LoginConfirmStage(LoginStage):
    key = "portal_confirm"
    urlname = "accounts_auth:login_confirm"

    def handle(self):
        user = self.login.user
        if user.is_staff and otp.recipient_for(user) is None and not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            # Officers and administrators never log in on a password alone.
            messages.error(self.request, NO_SECOND_FACTOR)
            return headed_redirect_response("account_login"), False
        code_required = self._code_required(user)
        if not code_required and not live_sessions(user):  # at login, every live session is elsewhere
            return None, True
        self.state["code_required"] = code_required
        self.state["password"] = user.get_session_auth_hash()  # the password this login was let through by
        if code_required:
            send_login_code(self.request, user)
        return headed_redirect_response(self.urlname), True

    def password_changed(self) -> bool:
        """Whether the account's password has changed (or been reset) since the password step: the
        login it let through ends, as the sessions the change ends do."""
        return "password" in self.state and not self.login.user.has_session_auth_hash(self.state["password"])

    def _code_required(self, user) -> bool:
        if trusted_until(self.request, user) is not None or is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            return False
        if otp.recipient_for(user) is None:
            logger.warning("account %s has no phone or e-mail: new-device code skipped", user.pk)
            return False
        return True


def new_browser_factor(user) -> str | None:
    """What a login on a browser not trusted yet asks for besides the password, as the stages
    decide it: "totp" (the authenticator app, allauth.mfa's stage), the channel of the code this
    stage sends ("sms" or "email"), or None for an account that can receive no code."""
    if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
        return "totp"
    recipient = otp.recipient_for(user)
    return recipient.channel if recipient else None


def send_code_said(request, *, purpose: otp.Purpose, user, recipient: otp.Recipient | None, language: str = "") -> None:
    """Send `user`'s code for `purpose` to `recipient` and say on the next page what happened: sent; or,
    asked again within the minute, that the code sent before is still the one to type, unless wrong tries
    have voided it (or there is no recipient), when only the wait is said; or refused, unless the page
    says why in place of its code field (the hour's cap, otp.unsent_at_cap). The new browser's code and
    the password change's; a password reset's answers alike whether the BHXH code has an account or not,
    and so says none of this (views.security._send_reset_code)."""
    subject = str(user.pk)
    try:
        otp.send_code(request, purpose=purpose, subject=subject, recipient=recipient, user=user, language=language)
    except otp.TooSoon as refusal:
        # The code sent the first time opens this request too (a login from another browser within the
        # minute: it is the account's, not the browser's), so this is no error.
        if recipient is None or not otp.code_outstanding(purpose=purpose, subject=subject):
            messages.error(request, refusal.message)
        else:  # a code waits to be typed: the page shows its field, so says nothing of the cap
            messages.info(request, otp.still_good(recipient, refusal))
    except otp.SendRefused as refusal:
        if not otp.unsent_at_cap(request, purpose=purpose, subject=subject,
                                 recipient=recipient):  # else the page says it in place of the code field
            messages.error(request, refusal.message)
    else:
        messages.success(request, gettext("Đã gửi mã xác thực tới %(recipient)s.") % {"recipient": recipient.display})


def send_login_code(request, user) -> None:
    """The new device's code, written in the language chosen on this browser if one was (else the
    account's), which is kept on the account only once the login is done (AccountAdapter.post_login)."""
    send_code_said(request, purpose=otp.Purpose.LOGIN, user=user, recipient=otp.recipient_for(user),
                   language=language_switched_to(request) or "")


def _config_fingerprints(user) -> list[str]:
    """allauth.mfa's fingerprint of the account's security setup (trust.create_config_fingerprint: the
    password hash and the authenticators), a hash keyed with SECRET_KEY, then with each fallback key
    (`secret_keys`): a browser trusted just before a rotation stays trusted while the old key is kept, as its
    cookie's signature and the session do."""
    parts = [str(user.pk), user.password]
    for authenticator in Authenticator.objects.filter(user_id=user.pk).order_by("pk"):
        parts += [str(authenticator.pk), str(authenticator.type)]
        if authenticator.data.get("seed") is not None:
            parts.append(str(authenticator.data["seed"]))
    return [salted_hmac("allauth.mfa.trust", "|".join(parts), secret=secret, algorithm="sha256").hexdigest()
            for secret in secret_keys()]


def trusted_until(request, user) -> datetime | None:
    """Until when this browser skips the new-device code for `user`, the SMS code (LoginConfirmStage) or the
    authenticator app's (AuthenticateStage), or None."""
    if not mfa_settings._TRUST_STAGE_ENABLED:
        return None
    fingerprints = _config_fingerprints(user)
    issued = [entry.at for entry in trust.decode_trust_cookie(request) if entry.fingerprint in fingerprints]
    if not issued:
        return None
    return datetime.fromtimestamp(max(issued), tz=timezone.get_current_timezone()) + mfa_settings.TRUST_COOKIE_AGE


class AuthenticateStage(AllauthAuthenticateStage):
    """allauth.mfa's step asking an account with an authenticator app for the app's code, skipped by a
    browser trusted under SECRET_KEY or a fallback key (`trusted_until`), as the SMS step is: allauth's own
    reads the trust under SECRET_KEY only (trust.is_trusted_browser), which asked every such account for
    the app's code at once after a rotation."""

    def handle(self):
        if self.login.user is not None and trusted_until(self.request, self.login.user) is not None:
            return None, True
        return super().handle()
