"""Receivers for the session rules (DESIGN.md, "Session rule" and "Security rules").

They connect allauth's account signals to allauth.usersessions, two parts that must not know
each other: a login ends every other session of the account, and so does a password change or
reset. The browser whose session ended is told why on its next request (middleware.py), which
also times sessions out from the moment of login stamped here.
"""

import time

from allauth.account import signals as account_signals
from django.contrib.auth import signals as auth_signals
from django.core.cache import cache
from django.db import transaction
from django.db.models import signals as model_signals

from .adapter import end_other_sessions
from .middleware import SEEN, STARTED
from .models import User
from .selectors import user_cache_key


def end_other_sessions_on_login(sender, request, user, **kwargs):
    end_other_sessions(request, user, reason="logged_in_elsewhere")


def end_other_sessions_on_password_change(sender, request, user, **kwargs):
    end_other_sessions(request, user, reason="password_changed")


def start_session_clock(sender, request, user, **kwargs):
    """Django's signal, sent by every login (allauth's, the test client's): the 12-hour limit
    counts from here."""
    request.session[STARTED] = request.session[SEEN] = time.time()


def forget_cached_user(sender, instance, **kwargs):
    """A saved or deleted user is read afresh by the next request (selectors.user_for_session):
    at once, and again after the transaction commits, so a request that read the old row while
    the change was in flight does not keep it."""
    key = user_cache_key(instance.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def connect() -> None:
    model_signals.post_save.connect(forget_cached_user, sender=User, dispatch_uid="accounts-forget-user-saved")
    model_signals.post_delete.connect(forget_cached_user, sender=User, dispatch_uid="accounts-forget-user-deleted")
    auth_signals.user_logged_in.connect(start_session_clock, dispatch_uid="accounts-session-clock")
    account_signals.user_logged_in.connect(end_other_sessions_on_login, dispatch_uid="accounts-single-session")
    for signal in (account_signals.password_changed, account_signals.password_reset):
        signal.connect(end_other_sessions_on_password_change, dispatch_uid="accounts-password-ends-sessions")
