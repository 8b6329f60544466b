"""A new password, set by its holder, after a reset by code or by the agency in the admin, and
telling the account holder what happened to their account: a password changed or reset, a login
that made a new browser trusted, the authenticator app switched on or off, new recovery codes, a
password set or turned off, an authenticator removed or the e-mail changed by the agency."""

from enum import StrEnum

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.password_change import finalize_password_change
from allauth.account.internal.flows.password_reset import finalize_password_reset
from allauth.mfa.base.internal.flows import delete_dangling_recovery_codes
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from ..models import User
from ..sessions import end_other_sessions
from .notices import user_notify


class SecurityEvent(StrEnum):
    """What the account holder is told of, each with its message templates
    (notifications/templates/notifications/messages/security_<event>.*.txt)."""

    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    PASSWORD_SET_BY_AGENCY = "password_set_by_agency"  # in the admin (user_password_set_by_agency)
    PASSWORD_DISABLED_BY_AGENCY = "password_disabled_by_agency"  # set_unusable_password, in the admin
    NEW_BROWSER = "new_browser"  # a login that has just made a browser trusted
    TOTP_ACTIVATED = "totp_activated"  # allauth.mfa's authenticator app switched on (signals.py)
    TOTP_DEACTIVATED = "totp_deactivated"
    RECOVERY_CODES_GENERATED = "recovery_codes_generated"  # a new set: the old codes no longer work
    TOTP_REMOVED_BY_AGENCY = "totp_removed_by_agency"  # deleted in the admin (authenticators_delete)
    RECOVERY_CODES_REMOVED_BY_AGENCY = "recovery_codes_removed_by_agency"
    EMAIL_CHANGED_BY_AGENCY = "email_changed_by_agency"  # in the admin (user_email_change_notify)


# What the holder is told of an authenticator the agency deletes, by its kind (MFA_SUPPORTED_TYPES).
REMOVED_BY_AGENCY = {
    Authenticator.Type.TOTP: SecurityEvent.TOTP_REMOVED_BY_AGENCY,
    Authenticator.Type.RECOVERY_CODES: SecurityEvent.RECOVERY_CODES_REMOVED_BY_AGENCY,
}


def security_notify(*, user, event: SecurityEvent, **extra) -> None:
    """Tell the account holder, once the surrounding transaction commits, what happened to the
    account and when, and whom to call if it was not them: an in-portal notice, an SMS to the
    registered phone and an e-mail to the account's address, where the account has them. `extra`
    goes to the message templates."""
    at = timezone.now()
    key = f"security-{event}-{user.pk}-{at:%Y%m%d%H%M%S%f}"  # the occurrence: one notice each
    context = {"event": event, "at": at, **extra}

    transaction.on_commit(lambda: user_notify(user=user, template=f"security_{event}", context=context, key=key,
                                              email=user.email))


def user_email_change_notify(*, user, old_email: str) -> None:
    """An account's e-mail changed by the agency in the admin (for an officer, where the login codes
    go): told once, when the change commits, in the inbox, by SMS to the phone in the registry (a
    citizen's: a channel whoever took over the e-mail does not hold) and to the address registered
    until then, not to the new one (its holder may not be the account's)."""
    event, at = SecurityEvent.EMAIL_CHANGED_BY_AGENCY, timezone.now()
    key = f"security-{event}-{user.pk}-{at:%Y%m%d%H%M%S%f}"
    context = {"event": event, "at": at}

    transaction.on_commit(lambda: user_notify(user=user, template=f"security_{event}", context=context, key=key,
                                              email=old_email))


@transaction.atomic
def authenticators_delete(*, authenticators) -> None:
    """Authenticators deleted by the agency (the admin's delete page and its "delete selected"
    action). As in allauth's own removal (the holder on the security page, told by its signal in
    signals.py), the recovery codes left without an app go with it, so that setting the app up
    again makes new ones; the holder is told once for each change, that the BHXH agency made it:
    an app removed (with its codes, if it had them) or recovery codes removed alone."""
    removed = set()
    # The apps first: codes selected with their app go with it and are not told of twice.
    for authenticator in sorted(authenticators, key=lambda a: a.type == Authenticator.Type.RECOVERY_CODES):
        if authenticator.pk in removed:
            continue
        authenticator.delete()
        codes = delete_dangling_recovery_codes(authenticator.user)
        if codes is not None:
            removed.add(codes.pk)
        security_notify(user=authenticator.user, event=REMOVED_BY_AGENCY[authenticator.type],
                        codes_removed=codes is not None)


def _password_store(user, password_hash: str) -> None:
    user.password = password_hash
    user.must_change_password = False  # a temporary password is replaced
    user.save(update_fields=["password", "must_change_password"])


@transaction.atomic
def user_password_change(*, request, user, password_hash: str) -> None:
    """The logged-in holder's new password (hashed). allauth's end of a change keeps this session
    under a new key, says so, here and to the account (adapter.send_notification_mail), and ends
    the others (signals.py); this browser keeps its time of login in the session list."""
    logged_in_at = UserSession.objects.filter(session_key=request.session.session_key).values_list(
        "created_at", flat=True).first()
    _password_store(user, password_hash)
    finalize_password_change(request, user)
    if logged_in_at:  # allauth.usersessions has made this session's row anew, under its new key
        UserSession.objects.filter(session_key=request.session.session_key).update(created_at=logged_in_at)


@sensitive_variables()  # outside the transaction, whose wrapper holds the arguments too
@transaction.atomic
def user_password_set_by_agency(*, request, user, password: str | None) -> bool:
    """A password an officer sets for an account in the admin, or logging in with one turned off
    (`password` None); the holder is told that the agency did it. A password set for another's
    account is known to the officer: temporary, as the portal's others are (changed at the next
    login), and the browsers logged in with the one of before are told why they were ended.

    Compared with the account as locked: a post that finds it already as it asks (the same page
    posted twice, a double click whose two posts both read the account before either wrote it)
    changes and tells nothing, and answers False. `user` is left as the account now stands."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    temporary = locked.pk != request.user.pk
    if password is None:
        changed = locked.has_usable_password()
        if changed:
            locked.set_unusable_password()
    else:
        changed = not (check_password(password, locked.password) and (locked.must_change_password or not temporary))
        if changed:
            locked.set_password(password)
            locked.must_change_password = locked.must_change_password or temporary
    if changed:
        locked.save(update_fields=["password", "must_change_password"])
        if password is None:
            security_notify(user=locked, event=SecurityEvent.PASSWORD_DISABLED_BY_AGENCY)
        else:
            if temporary:
                end_other_sessions(request, locked, reason="ended_by_agency")
            security_notify(user=locked, event=SecurityEvent.PASSWORD_SET_BY_AGENCY, temporary=temporary)
    user.password, user.must_change_password = locked.password, locked.must_change_password
    return changed


@transaction.atomic
def user_password_reset(*, request, user, password_hash: str, password_seen: str | None = None) -> bool:
    """The new password (hashed) of a holder who proved who they are with a code: the lock on
    failed logins goes, and allauth's end of a reset says so (and to the account: adapter) and ends
    the account's sessions (signals.py). With `password_seen` (the session hash of the password the
    code was accepted for), nothing changes and False is answered once the password is another: this
    reset saved already by a request sent at the same time, or the password changed meanwhile."""
    locked = User.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None or (password_seen is not None and not locked.has_session_auth_hash(password_seen)):
        return False
    _password_store(user, password_hash)
    get_adapter().clear_failed_logins(request, user)
    finalize_password_reset(request, user)
    return True
