"""Receivers for the session rules (DESIGN.md, "Session rule" and "Security rules").

They connect allauth's account signals to allauth.usersessions, two parts that must not know
each other: a login ends every other session of the account, and so does a password change or
reset. The browser whose session ended is told why on its next request (middleware.py), which
also times sessions out from the moment of login stamped here. They also tell the account holder
when allauth.mfa's authenticator app is switched on or off or the recovery codes are made anew.
"""

import time

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.usersessions import signals as usersessions_signals
from allauth.usersessions.models import UserSession
from django.contrib.auth import signals as auth_signals
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import signals as model_signals

from vssid_portal.cache import forget

from .models import User
from .selectors import user_cache_key
from .services.registration import registration_draft_discard
from .services.security import SecurityEvent, security_notify
from .sessions import FEEDBACKS_SEEN, REGISTRATIONS_SEEN, SEEN, STARTED, end_earlier_sessions, end_other_sessions


def end_earlier_sessions_on_login(sender, request, user, **kwargs):
    """allauth's own receiver (purge the account's dead session rows, make this session's) and the
    single-session rule in one transaction holding the user row: two logins of one account take
    turns, so the later one always sees the earlier one's row and ends it (connect() replaces
    allauth's receiver with this one)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
        if not request.session.exists(request.session.session_key):
            return  # ended meanwhile by a later login: no row for it again
        UserSession.objects.purge_and_list(user)
        UserSession.objects.create_from_request(request)
        end_earlier_sessions(request, user, reason="logged_in_elsewhere")


def end_other_sessions_on_password_change(sender, request, user, **kwargs):
    end_other_sessions(request, user, reason="password_changed")


def start_session_clock(sender, request, user, **kwargs):
    """Django's signal, sent by every login (allauth's, the test client's): the 12-hour limit
    counts from here. The session is stored at once, with its user: until then another login of
    the account, purging the rows of sessions without a user (allauth), would drop this one's row
    and so miss it (sessions.end_earlier_sessions). A registration left half-way in the browser
    before the login, which Django's login keeps in the session, is dropped with its photos, and so
    are the registrations and feedbacks the browser sent or looked up, whose pages it could open
    again: at a shared computer they may be another person's (registration_draft_discard)."""
    registration_draft_discard(session=request.session)
    for key in (REGISTRATIONS_SEEN, FEEDBACKS_SEEN):
        request.session.pop(key, None)
    request.session[STARTED] = request.session[SEEN] = time.time()
    request.session.save()


# allauth.mfa's signals about a change of the second factor, by the kind of authenticator, and what
# the holder is told of. The recovery codes that come and go with the app (allauth adds them with
# it and removes them with it) are part of that one change, told once.
SECOND_FACTOR_EVENTS = {
    (mfa_signals.authenticator_added, Authenticator.Type.TOTP): SecurityEvent.TOTP_ACTIVATED,
    (mfa_signals.authenticator_removed, Authenticator.Type.TOTP): SecurityEvent.TOTP_DEACTIVATED,
    (mfa_signals.authenticator_reset, Authenticator.Type.RECOVERY_CODES): SecurityEvent.RECOVERY_CODES_GENERATED,
}


def tell_second_factor_change(sender, signal, user, authenticator, **kwargs):
    event = SECOND_FACTOR_EVENTS.get((signal, authenticator.type))
    if event is not None:
        security_notify(user=user, event=event)


def forget_cached_users(user_ids) -> None:
    """These users are read afresh by their next request (selectors.user_for_session)."""
    forget(user_cache_key(pk) for pk in user_ids)


def forget_cached_user(sender, instance, **kwargs):
    forget_cached_users([instance.pk])


def _members(groups) -> list:
    return list(User.objects.filter(groups__in=groups).values_list("pk", flat=True).distinct())


def forget_users_of_changed_permissions(sender, instance, action, model, pk_set, **kwargs):
    """The cached user carries its permissions (selectors.user_for_session): a change of a
    user's groups or permissions, or of a group's permissions, drops the users it reaches, from
    either side of the relation. A clear is handled before it happens, while its rows still say
    whom it reaches."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, User):
        forget_cached_users([instance.pk])
    elif isinstance(instance, Group) and model is User:  # group.user_set
        forget_cached_users(pk_set if action != "pre_clear" else instance.user_set.values_list("pk", flat=True))
    elif isinstance(instance, Group):  # group.permissions
        forget_cached_users(_members([instance]))
    elif model is User:  # permission.user_set
        forget_cached_users(pk_set if action != "pre_clear" else instance.user_set.values_list("pk", flat=True))
    else:  # permission.group_set
        forget_cached_users(_members(pk_set if action != "pre_clear" else instance.group_set.all()))


def forget_users_of_deleted_group(sender, instance, **kwargs):
    forget_cached_users(_members([instance]))


def forget_users_of_deleted_permission(sender, instance, **kwargs):
    forget_cached_users(set(instance.user_set.values_list("pk", flat=True)) | set(_members(instance.group_set.all())))


def connect() -> None:
    model_signals.post_save.connect(forget_cached_user, sender=User, dispatch_uid="accounts-forget-user-saved")
    model_signals.post_delete.connect(forget_cached_user, sender=User, dispatch_uid="accounts-forget-user-deleted")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        model_signals.m2m_changed.connect(forget_users_of_changed_permissions, sender=through,
                                          dispatch_uid=f"accounts-forget-users-{through._meta.label_lower}")
    # Deleting a group or a permission removes its relation rows without m2m_changed.
    model_signals.pre_delete.connect(forget_users_of_deleted_group, sender=Group, dispatch_uid="accounts-forget-group")
    model_signals.pre_delete.connect(forget_users_of_deleted_permission, sender=Permission,
                                     dispatch_uid="accounts-forget-permission")
    auth_signals.user_logged_in.connect(start_session_clock, dispatch_uid="accounts-session-clock")
    account_signals.user_logged_in.disconnect(usersessions_signals.on_user_logged_in)  # done in the receiver below
    account_signals.user_logged_in.connect(end_earlier_sessions_on_login, dispatch_uid="accounts-single-session")
    for signal in (account_signals.password_changed, account_signals.password_reset):
        signal.connect(end_other_sessions_on_password_change, dispatch_uid="accounts-password-ends-sessions")
    for signal in (mfa_signals.authenticator_added, mfa_signals.authenticator_removed, mfa_signals.authenticator_reset):
        signal.connect(tell_second_factor_change, dispatch_uid="accounts-second-factor-notice")
