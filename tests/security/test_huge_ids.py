"""An id no database key can hold (2**64, 10**20) in any URL that takes an integer id is a 404 or a
refusal, never a server error: SQLite refuses such a number with OverflowError, wherever a query
meets it. The URL resolver is walked, so a new URL with an integer id is covered without being listed
here; the admin's object URLs (whose ids are paths) are covered by their parameter names."""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from accounts.models import User
from tests.benefits.helpers import child_of
from tests.public_services.helpers import DISTRICT, citizen, officer

pytestmark = [pytest.mark.security, pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

HUGE = (2**64, 10**20)
# The admin names a model's primary key by these parameters; every model in this admin has an integer one.
ADMIN_ID_PARAMETERS = {"object_id", "content_type_id", "id"}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def integer_id_routes() -> dict[str, set[str]]:
    """Every route (prefixes joined) with a parameter that is an integer id → those parameters."""
    found = {}

    def walk(patterns, prefix="", converters=None):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            known = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, known)
            elif isinstance(pattern.pattern, RoutePattern):
                ids = {name for name, converter in known.items()
                       if isinstance(converter, IntConverter) or name in ADMIN_ID_PARAMETERS}
                if ids:
                    found[route] = ids

    walk(get_resolver().url_patterns)
    return found


def url_with(route: str, ids: set[str], value: int) -> str:
    """The route with `value` for each id and a plain word for any other parameter."""
    return "/" + PARAMETER.sub(lambda m: str(value) if m["name"] in ids else "x", route)


def test_the_walk_finds_the_portals_and_the_admins_id_urls():
    routes = integer_id_routes()
    assert {"thong-bao/<id:pk>/", "ca-nhan/xem/<id:person_id>/", "dich-vu-cong/ho-so/<id:pk>/giay-to/<id:document_pk>/",
            "quan-tri/accounts/person/<path:object_id>/change/", "quan-tri/r/<path:content_type_id>/<path:object_id>/",
            "quan-tri/accounts/registration/<id:pk>/duyet/"} <= set(routes)
    route = "quan-tri/accounts/registration/<id:pk>/anh/<str:field>/"
    assert url_with(route, routes[route], 7) == "/quan-tri/accounts/registration/7/anh/x/"


@pytest.fixture
def people():
    parent = citizen()
    child_of(parent)  # a parent's notice links go through the guardian's checks
    superuser = User.objects.create_superuser("quantri", password="x-Pass-2026!")
    return {"anonymous": None, "citizen": parent, "officer": officer("canbo07901", "07901", DISTRICT),
            "superuser": superuser}


def test_huge_ids_are_never_a_server_error(people):
    failures = []
    for who, user in people.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for route, ids in integer_id_routes().items():
            for value in HUGE:
                url = url_with(route, ids, value)
                for method in (client.get, client.post):
                    response = method(url)
                    if response.status_code >= 500:
                        failures.append(f"{who}: {method.__name__.upper()} {url} {response.status_code}")
    assert failures == []
