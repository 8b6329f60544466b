"""Session rules checked on every request (DESIGN.md, "Security rules").

- A session ended from elsewhere (a login on another device, "log out everywhere else", a
  password change) is already gone from the session store; the browser that held it is sent to
  the login page with the reason, once.
- Idle timeout (`SESSION_IDLE_TIMEOUT`, 30 min) and absolute limit (`SESSION_COOKIE_AGE`, 12 h):
  Django's own expiry moves forward with every save of the session, so the time of login
  (stamped by signals.py) and of the last activity (stamped here) are kept in it and checked here
  by the rule in sessions.py; an expired session is flushed. A request a page's script makes by
  itself on a timer (`is_background`) is checked like any other but is not activity.
- A session without a login that holds what a visitor typed (sessions.VISITOR_DATA: a registration,
  a feedback, a password reset) has the same idle timeout, its activity stamped once the page has
  written it, and ends with the browser as a logged-in one does (ACCOUNT_SESSION_REMEMBER off):
  the next person at a shared computer finds nothing of it. A login starts its own clock.
- An account with a temporary password reaches only the "set a new password" page, the language
  switch and logout.
- A form sent once the session has ended (a logout in another tab, a time-out) lands on the login
  page told that nothing of it was sent nor kept: whichever page for logged-in users it was sent to
  (login_required's redirect to the login page, seen here), or the time-out's own redirect. What
  was typed is not kept: without a login nothing says whose it is. A browser that never had a
  session here (no session cookie, nor the mark SESSION_ENDED_COOKIE a session's end leaves) is
  only asked to log in, by the login page itself. The next login deletes the mark: that browser's
  session is then the new one, and once it ends its end leaves the mark again.

Placed after allauth's AccountMiddleware (messages, user) and before UserSessionActivityMiddleware, so
a session that ends here is not recorded as active first.
"""

import time
from urllib.parse import parse_qs, urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import urlencode

from .adapter import pop_session_end_message
from .sessions import (
    POST_NOT_SENT,
    POST_WITHOUT_SESSION,
    SEEN,
    SESSION_ENDED_COOKIE,
    STARTED,
    holds_visitor_data,
    time_out_message,
    time_out_reason,
    timed_out,
)

# The activity stamp is rewritten at most once a minute: a write on every request would cost a
# database write per page view for a one-minute gain in precision.
SEEN_PRECISION = 60


class SessionRulesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        logged_in, ended = request.user.is_authenticated, _session_ended(request)  # before _enforce ends one
        response = self._enforce(request)
        if response is None:
            without_session = request.method == "POST" and not logged_in
            response = self.get_response(request)
            if without_session and _leads_to_login(request, response):  # a page for logged-in users, whichever
                if ended:  # else a browser that never had a session: the login page alone asks it to log in
                    messages.warning(request, POST_WITHOUT_SESSION)
        self._keep_visitor_clock(request)
        if (logged_in or ended) and not request.user.is_authenticated and SESSION_ENDED_COOKIE not in request.COOKIES:
            _mark_session_ended(response)
        elif request.user.is_authenticated and request.COOKIES.get(SESSION_ENDED_COOKIE):  # logged in again
            response.delete_cookie(SESSION_ENDED_COOKIE, path=settings.SESSION_COOKIE_PATH,
                                   domain=settings.SESSION_COOKIE_DOMAIN, samesite=settings.SESSION_COOKIE_SAMESITE)
        return response

    def _enforce(self, request):
        if not request.user.is_authenticated:
            if holds_visitor_data(request.session) and timed_out(request.session, time.time()):
                request.session.flush()  # the page opens as for a new visitor
                return None
            return self._ended_elsewhere(request)
        session, now = request.session, time.time()
        # Stamped at login (signals.py); a session older than this code starts its clocks now.
        session.setdefault(STARTED, now)
        if reason := time_out_reason(session, now):
            return self._expire(request, time_out_message(reason))
        if not is_background(request):
            _stamp_activity(session, now)
        if request.user.must_change_password:
            return self._require_new_password(request)
        return None

    def _keep_visitor_clock(self, request):
        """After the page, which may have written the visitor's data the first time."""
        if request.user.is_authenticated or not holds_visitor_data(request.session):
            return
        if not is_background(request):
            _stamp_activity(request.session, time.time())
        if not account_settings.SESSION_REMEMBER and not request.session.get_expire_at_browser_close():
            request.session.set_expiry(0)

    def _ended_elsewhere(self, request):
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not cookie or request.session.session_key:  # no session, or one that is still there
            return None
        message = pop_session_end_message(cookie)
        if message is None:
            return None
        messages.warning(request, message)
        return self._to_login(request)

    def _expire(self, request, message):
        logout(request)
        messages.info(request, message)
        return self._to_login(request)

    def _to_login(self, request):
        """To the login page, which comes back to this page; a logout asked for once the session had
        ended is done already, and leads where a logout leads (not to a login that would ask it again)."""
        if request.path_info == reverse("account_logout"):
            return redirect(get_adapter().get_logout_redirect_url(request))
        if request.method == "POST" and not _carries_no_form(request):  # a form sent as the session ended
            messages.warning(request, POST_NOT_SENT)  # after the reason, what became of it
        return redirect_to_login(request.get_full_path())

    def _require_new_password(self, request):
        target = reverse("accounts_auth:password_change_required")
        if request.path_info in {target, reverse("account_logout")} or is_language_switch(request.path_info):
            return None
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


def _leads_to_login(request, response) -> bool:
    """Whether `response` is login_required's redirect of `request`: to the login page, to come back to
    this very page, a page for logged-in users asked without a login. Not a post that did its work and
    leads to the login page (a password reset done, the language switched on the login page)."""
    location = response.get("Location") if response.status_code in (301, 302, 303, 307, 308) else None
    if location is None:
        return False
    parts = urlsplit(location)
    return (parts.path == resolve_url(settings.LOGIN_URL)
            and parse_qs(parts.query).get(REDIRECT_FIELD_NAME) == [request.get_full_path()])


def _session_ended(request) -> bool:
    """Whether this browser, not logged in, held a session that has ended: it sent a session cookie
    that no session in the store answers to any more (ended elsewhere, expired, flushed), or the mark
    of a session ended since the browser was opened (SESSION_ENDED_COOKIE: a logout or a time-out
    deletes the session cookie with the session). A browser that sent neither never had one."""
    if request.user.is_authenticated:
        return False
    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    return bool(request.COOKIES.get(SESSION_ENDED_COOKIE)) or (bool(cookie) and not request.session.session_key)


def _mark_session_ended(response) -> None:
    """Mark the browser, until it is closed (as the session cookie it held), as one whose session ended."""
    response.set_cookie(SESSION_ENDED_COOKIE, "1", path=settings.SESSION_COOKIE_PATH,
                        domain=settings.SESSION_COOKIE_DOMAIN, secure=settings.SESSION_COOKIE_SECURE,
                        httponly=True, samesite=settings.SESSION_COOKIE_SAMESITE)


def _carries_no_form(request) -> bool:
    """A post that carries nothing typed: the language switch, or the button that keeps the session
    going, of which nothing is lost when the session has ended."""
    return is_language_switch(request.path_info) or request.path_info == reverse("accounts_auth:session_keepalive")


# What a script sends (X-Requested-With) with a request it makes by itself, on a timer, with nobody
# needing to be at the page: the card's QR asked again every minute
# (health_card/static/health_card/js/qr-refresh.js). Such a request is answered as any other, the
# time-outs applied to it first, but is not activity: a page left open would otherwise keep its session
# going until the 12-hour limit. A page load cannot send the header, and a request that sends it only
# counts for less, so nothing can be kept going by faking it.
BACKGROUND_HEADER_VALUE = "background"


def is_background(request) -> bool:
    return request.headers.get("X-Requested-With") == BACKGROUND_HEADER_VALUE


def _stamp_activity(session, now: float) -> None:
    if SEEN not in session or now - session[SEEN] >= SEEN_PRECISION:
        session[SEEN] = now


def is_language_switch(url: str) -> bool:
    """Whether `url` is Django's language switch (i18n/setlang), an action that leads back to the
    page it came from: never a page to return to after another step."""
    return urlsplit(url).path == reverse("set_language")


TRACKED = "portal_usersession_tracked"


class UserSessionActivityMiddleware:
    """allauth.usersessions' activity tracking ("last seen" in the session list), written at
    most once a minute per session.

    allauth's own UserSessionsMiddleware rewrites the session's UserSession row on every request:
    a transaction, two reads and an UPDATE per page view, and every request of one session waits
    on the same row lock. Here the row is rewritten when SEEN_PRECISION has passed since the last
    write, or at once when the client's address or browser changes, so allauth's
    `session_client_changed` signal still fires on a change. The row itself is made at login by
    allauth's own receiver, as before. A request a page's script makes by itself (`is_background`)
    is no activity here either: it leaves the row as the last page view wrote it.

    The client is its address as allauth reads it (behind TRUSTED_PROXY_COUNT proxies: from
    X-Forwarded-For, so a pool of proxies whose own addresses vary does not count as a change)
    and its browser string.

    A session given a new key without a login (Django's check of a login signed with one of
    SECRET_KEY_FALLBACKS cycles the key) has its row moved to the new key at once, keeping its
    time of login and its place among the account's sessions: a login elsewhere finds it and ends
    it (the single-session rule), instead of missing it for up to SEEN_PRECISION.
    """

    def __init__(self, get_response):
        from allauth.account.adapter import get_adapter
        from allauth.usersessions import app_settings

        self.get_response = get_response
        self.track = app_settings.TRACK_ACTIVITY
        self.adapter = get_adapter()

    def __call__(self, request):
        from allauth.usersessions.models import UserSession

        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if self.track and session is not None and session.session_key and user is not None \
                and user.is_authenticated:
            now = time.time()
            client = [self.adapter.get_client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:200]]
            key = session.session_key  # read once the user is: a fallback key's login has cycled it
            tracked = session.get(TRACKED)
            if is_background(request):
                # Not activity (SessionRulesMiddleware): the row's last seen, address and browser stay as
                # the last page view left them, or an idle QR page would look in use. A new key is
                # followed at once all the same, for the single-session rule.
                if tracked and len(tracked) == 4 and tracked[1] != key:
                    _move_row(user, tracked[1], key)
                    session[TRACKED] = [tracked[0], key, *tracked[2:]]
                    session.save()  # as below, under the new key's hash
            elif not tracked or now - tracked[0] >= SEEN_PRECISION or tracked[1:] != [key, *client]:
                key_is_new = not tracked or len(tracked) != 4 or tracked[1] != key
                if key_is_new and tracked and len(tracked) == 4:
                    _move_row(user, tracked[1], key)
                UserSession.objects.create_from_request(request)
                session[TRACKED] = [now, key, *client]
                if key_is_new:
                    # A key Django renewed is stored with the hash the old SECRET_KEY made, the new hash
                    # being set in memory only: stored now, a read of this session during the request
                    # (allauth's session list) does not renew it again under it. Once per key, and on the
                    # first tracked request after a login, which a rotation may have renewed as well.
                    session.save()
        return self.get_response(request)


def _move_row(user, old_key: str, new_key: str) -> None:
    """The session list's row of a session whose key changed, under its new key, unless the new key
    has its own row already (a password change makes one). No other request knows the new key yet."""
    from allauth.usersessions.models import UserSession

    if not UserSession.objects.filter(session_key=new_key).exists():
        UserSession.objects.filter(session_key=old_key, user_id=user.pk).update(session_key=new_key)
