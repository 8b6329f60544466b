"""The session time-out rule (DESIGN.md, "Security rules"): a session ends after
`SESSION_IDLE_TIMEOUT` (30 min) without a request, and `SESSION_COOKIE_AGE` (12 h) after its login.
A session without a login that holds what a visitor typed or may open again (VISITOR_DATA) ends
after the same idle time, so the next person at a shared computer finds none of it.

Django's own expiry moves forward with every save of the session, so the time of login (STARTED,
stamped by signals.py) and of the last activity (SEEN, kept by middleware.py) are kept in the
session data and read here. SessionRulesMiddleware flushes a timed-out session on its next
request; the security page's list (selectors.live_sessions) leaves it out, and a session ended
by a login elsewhere after it timed out is told the time-out (adapter.UserSessionsAdapter).

The ends of a user's sessions asked for by a login (the single-session rule), a password set or
changed, and the agency live here too, beside the rules, so that the services writing those changes
(services/security.py, which the adapter imports) can end sessions without importing the adapter.
"""

from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.utils.translation import gettext_lazy as _

STARTED = "portal_session_started"
SEEN = "portal_session_seen"

# What a visitor who has not logged in keeps in the session: the registration's answers and photos,
# the registrations and the feedbacks this browser filed or looked up (their pages open in it), and
# a password reset under way. A session holding any of them has the idle time-out of a logged-in one.
REGISTRATION_DRAFT = "registration"
REGISTRATIONS_SEEN = "registration_status_seen"
FEEDBACKS_SEEN = "feedback_seen"
PASSWORD_RESET = "portal_password_reset"
VISITOR_DATA = (REGISTRATION_DRAFT, REGISTRATIONS_SEEN, FEEDBACKS_SEEN, PASSWORD_RESET)

# Why the time-out ended a session, as told to the browser that held it.
TIME_OUT_MESSAGES = {
    "idle": _("Bạn đã không thao tác trong %(minutes)s phút nên phiên làm việc đã kết thúc để bảo vệ "
              "tài khoản. Hãy đăng nhập lại."),
    "too_long": _("Phiên làm việc đã kéo dài quá %(hours)s giờ nên đã kết thúc để bảo vệ tài khoản. "
                  "Hãy đăng nhập lại."),
}

# A form sent to a page for logged-in users once the session had ended (a logout in another tab, a
# time-out): nothing of it was kept, as what was typed cannot be held safely without a login.
POST_WITHOUT_SESSION = _("Phiên làm việc đã kết thúc (bạn đã đăng xuất hoặc hết thời gian) trước khi biểu mẫu được "
                         "gửi, nên nội dung vừa nhập chưa được gửi đi và không được lưu lại. Hãy đăng nhập rồi điền "
                         "lại biểu mẫu.")
# Set, for as long as the browser stays open or until its next login, on the answer that ends a login's
# session (a logout, a time-out) or tells a browser its session has ended: the session cookie goes with the
# session, and a form sent afterwards from a tab still open must still be told that the session it was typed
# in has ended. A browser with neither cookie never had a session here, and is only asked to log in.
SESSION_ENDED_COOKIE = "session_ended"
POST_NOT_SENT = _("Nội dung vừa nhập chưa được gửi đi và không được lưu lại. Hãy đăng nhập rồi điền lại biểu mẫu.")


def time_out_reason(session_data: dict, now: float) -> str | None:
    """Which time-out has ended a session with these data, the one that ended it first: "idle"
    (`SESSION_IDLE_TIMEOUT` since its last request) or "too_long" (`SESSION_COOKIE_AGE` since its
    login); None while it is live. SessionRulesMiddleware flushes it on its next request."""
    ends = {"idle": session_data.get(SEEN, now) + settings.SESSION_IDLE_TIMEOUT,
            "too_long": absolute_end(session_data, now)}
    reason = min(ends, key=ends.get)
    return reason if now > ends[reason] else None


def absolute_end(session_data: dict, now: float) -> float:
    """When the absolute time-out ends a session with these data: `SESSION_COOKIE_AGE` after its login
    (a session without the stamp, older than this code, counts from `now`). No activity moves it."""
    return session_data.get(STARTED, now) + settings.SESSION_COOKIE_AGE


def holds_visitor_data(session) -> bool:
    return any(key in session for key in VISITOR_DATA)


def timed_out(session_data: dict, now: float) -> bool:
    """Whether a session with these data has been ended by the idle or the absolute time-out."""
    return time_out_reason(session_data, now) is not None


def time_out_message(reason: str) -> str:
    return TIME_OUT_MESSAGES[reason] % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60,
                                        "hours": settings.SESSION_COOKIE_AGE // 3600}


def end_other_sessions(request, user, *, reason: str) -> None:
    """End every session of `user` except the one of this request."""
    # Not purge_and_list(): after a password change the other sessions no longer authenticate,
    # and purging would drop their rows while leaving their data in the session store.
    others = list(UserSession.objects.filter(user_id=user.pk).exclude(session_key=request.session.session_key or ""))
    get_usersessions_adapter().end_sessions(others, reason=reason)


def end_earlier_sessions(request, user, *, reason: str) -> None:
    """End the sessions of `user` that began before this request's (at a login), and only those:
    the rows made before this session's. Each login has its session stored with its user
    (signals.start_session_clock) and its row made before it looks (signals.end_earlier_sessions_on_login,
    which lets one login of an account through at a time); so of two logins at the same moment the
    later ends the earlier, never the reverse. A login already ended by a later one finds its row
    gone and ends nothing."""
    mine = UserSession.objects.filter(session_key=request.session.session_key).first()
    if mine is None:
        return
    earlier = list(UserSession.objects.filter(user_id=user.pk, pk__lt=mine.pk))
    get_usersessions_adapter().end_sessions(earlier, reason=reason)
