"""The portal's URLs plus the bare view that the benchmark measures as its ceiling."""

from django.http import HttpResponse
from django.urls import path

from vssid_portal.urls import *  # noqa: F401,F403
from vssid_portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    """The cheapest Django answer on the same stack: every middleware runs, no template, no query."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("__bench__/bare/", bare), *portal_urlpatterns]
