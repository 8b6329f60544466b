"""Pages that belong to the whole portal: the home page, the CSRF failure page (Django's own
renders without the request, so without the portal's header and language) and the server error
page. The 400, 403 and 404 pages are Django's handlers rendering the portal's templates."""

import logging
import math
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_safe
from django_ratelimit.core import get_usage

from vssid_portal.cache import UNAVAILABLE_RETRY_AFTER, cache_reachable
from vssid_portal.middleware import methods_taken
from vssid_portal.ratelimit import seconds_until_page_allowed
from vssid_portal.text import PORTAL_NAME

logger = logging.getLogger(__name__)

@require_safe
def home(request):
    return render(request, "home.html")


def csrf_failure(request, reason=""):
    """A browser that sent no CSRF cookie blocks cookies (or has just cleared them): reloading alone
    would fail the same way, so its page asks to allow them. A post to a page that takes none (only
    read) is the 405 page, as with a token: sending again would not help either."""
    try:
        methods = methods_taken(resolve(request.path_info).func)
    except Resolver404:
        methods = None
    if methods is not None and request.method not in methods:
        response = render(request, "405.html", status=405)
        response["Allow"] = ", ".join(methods)
        return response
    return render(request, "403_csrf.html", {"cookies_missing": reason == REASON_NO_CSRF_COOKIE}, status=403)


def unavailable_instead(response):
    """A refusal by a limit that could not be counted (Redis down) is no fault of the visitor's: the
    page, saying in its own words that it is briefly unavailable, answers 503 with Retry-After
    instead of 429."""
    response.status_code = 503
    response["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
    return response


@dataclass(frozen=True)
class LimitRefusal:
    """A request refused by one of the portal's limits: 429 saying `message` when the limit is
    reached, or 503 saying its own `message` when it could not be counted (Redis down). `wait`: the
    seconds left before the limit lets the visitor through, when it can tell."""

    status: int
    message: object
    wait: float | None = None

    def answer(self, response):
        """The page that says `message`, answered with the refusal's status (a 503 with Retry-After,
        a 429 with it when the wait is known)."""
        if self.status == 503:
            return unavailable_instead(response)
        response.status_code = self.status
        return retry_after(response, self.wait)


def refusal_on_form(form, message) -> None:
    """Say a limit's refusal (`message`: too many requests, or the limit uncounted while Redis is down)
    at the top of `form`, marked `refused`, so that the error summary heads it as a request not
    carried out, not as errors for the visitor to fix: nothing typed is wrong, and an outage is the
    portal's fault (as the BHXH-code lookup's refusal is a notice, not a form error)."""
    form.add_error(None, message)
    form.refused = True


def limit_refusal(too_many, unavailable, wait: float | None = None) -> LimitRefusal:
    """The refusal by a limit: `too_many` with 429 (and Retry-After, when `wait` is known) while the
    limit can be counted, else `unavailable` with 503, since the visitor sent nothing too many.
    `too_many` may be a function of `wait` giving the message, for one that says the minutes left."""
    if not cache_reachable():
        return LimitRefusal(503, unavailable)
    return LimitRefusal(429, too_many(wait) if callable(too_many) else too_many, wait)


def usage_refusal(usage: dict | None, too_many, unavailable) -> LimitRefusal | None:
    """The refusal by a django-ratelimit limit whose count (`get_usage`'s answer, the request counted)
    is over, as `limit_refusal` gives it, with the seconds left of the limit's window; None while it
    lets the request through."""
    return usages_refusal([usage], too_many, unavailable)


def usages_refusal(usages: list[dict | None], too_many, unavailable) -> LimitRefusal | None:
    """The refusal by the django-ratelimit limits checked at once (`get_usage`'s answers, the request
    counted by each) when any is over, as `limit_refusal` gives it, with the seconds left of the
    window of the limit that refused: of several, the longest, since the request is let through
    only once each of them lets it, a limit just filled by this one included. None while all let
    it through."""
    counted = [usage for usage in usages if usage is not None]
    if not any(usage["should_limit"] for usage in counted):
        return None
    # The next try is counted by every limit: one this request has just filled refuses it too.
    waits = [usage["time_left"] for usage in counted if usage["count"] >= usage["limit"]]
    # a count the cache failed to keep has no window (time_left -1): the longest wait is not known
    return limit_refusal(too_many, unavailable, max(waits) if min(waits) >= 0 else None)


def counted_or_let_through(request, *, group: str, key, rate: str, too_many,
                           method=get_usage.ALL) -> LimitRefusal | None:
    """Count this request against a django-ratelimit limit (`get_usage`'s `group`, `key`, `rate` and
    `method`) that only spares the portal work a citizen may need done (the public directory, the
    printable card, files attached to a filing): the refusal, 429 saying `too_many` with the seconds
    left of the window, once it is over; else None. `too_many` may be a function of those seconds
    giving the message, for one that says the minutes left (minutes_left). While the count cannot be kept (Redis down) the
    request is let through uncounted, with a warning logged, since an outage of the counter must not
    take those pages down. The limits that guard enumeration, SMS or accounts refuse instead, with 503
    (usage_refusal)."""
    usage = get_usage(request, group=group, key=key, rate=rate, method=method, increment=True)
    # get_usage's answer for a count the cache failed to keep: a count kept is at least this request's
    # (a kept one may have time_left -1 too, when the window ends while it is counted)
    if usage is not None and usage["count"] == 0:
        logger.warning("Limit %s not counted (cache unavailable): the request is let through", group)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    wait = usage["time_left"]
    return LimitRefusal(429, too_many(wait) if callable(too_many) else too_many, wait)


def minutes_left(wait: float | None) -> int | None:
    """The whole minutes a 429 says are left of a wait of `wait` seconds (at least 1), or None when
    the limit cannot tell it."""
    return math.ceil(max(wait, 1) / 60) if wait is not None else None


def retry_after(response, wait: float | None):
    """A 429 whose limit can tell the wait (`wait` seconds) says it in Retry-After, as whole seconds,
    at least 1."""
    if wait is not None:
        response["Retry-After"] = str(math.ceil(max(wait, 1)))
    return response


def too_many_requests(request):
    """allauth's refusal by one of its limits (login attempts, …), saying how long is left before
    the visitor may try again, in minutes and in Retry-After, when the limit can tell
    (ratelimit.seconds_until_page_allowed). While Redis is down the limit
    could not be counted: the refusal stays, but as 503 with Retry-After, saying the portal is
    briefly unavailable, since the visitor sent nothing too many."""
    if cache_reachable():
        wait = seconds_until_page_allowed(request)
        return retry_after(render(request, "429.html", {"minutes": minutes_left(wait)}, status=429), wait)
    return unavailable_instead(render(request, "429.html", {"unavailable": True}))


def server_error(request):
    """Django's server_error, with the portal's name and the hotline of the setting: the page is
    rendered without the request or the context processors, so that whatever failed cannot fail it
    again."""
    return HttpResponseServerError(loader.get_template("500.html").render(
        {"PORTAL_NAME": PORTAL_NAME, "PORTAL_HOTLINE": settings.PORTAL_HOTLINE}))
