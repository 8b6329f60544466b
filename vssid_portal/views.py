"""Pages that belong to the whole portal: the home page, the CSRF failure page (Django's own
renders without the request, so without the portal's header and language), the page of a refusal by
one of allauth's limits (429) and the server error page. The 400, 403 and 404 pages are Django's
handlers rendering the portal's templates. The limits' refusals themselves are vssid_portal.ratelimit's."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_safe

from vssid_portal.cache import cache_reachable
from vssid_portal.middleware import methods_taken
from vssid_portal.ratelimit import minutes_left, retry_after, seconds_until_page_allowed, unavailable_instead
from vssid_portal.text import PORTAL_NAME


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
