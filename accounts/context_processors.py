import datetime
import time

from django.utils import timezone

from .sessions import absolute_end


def session_end(request):
    """The signed-in session's absolute end, for the warning the pages show a few minutes before it
    (templates/includes/timeout_dialog.html, static/js/session-timeout.js): the seconds left when this
    answer is made, which the browser adds to its own clock (whatever that clock's error), and the end's
    local time (hh:mm) the warning names. Per session, so a stored page and the layout's parts leave them
    as holes filled on every request (vssid_portal.pagecache, vssid_portal.templatetags.layout)."""
    user, session = getattr(request, "user", None), getattr(request, "session", None)
    if user is None or not user.is_authenticated or session is None:  # a template rendered outside a request's session
        return {}
    now = time.time()
    ends = absolute_end(session, now)
    at = timezone.localtime(datetime.datetime.fromtimestamp(ends, tz=datetime.UTC))
    return {"session_ends_in": str(max(int(ends - now), 0)), "session_ends_at": at.strftime("%H:%M")}
