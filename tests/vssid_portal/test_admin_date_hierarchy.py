"""Every admin list with a date hierarchy answers a date out of range in its address
(`?at__year=99999999999999999999`) like any other wrong filter — a redirect to the list with
`?e=1` — and not with a server error (Django's ChangeList lets the OverflowError through)."""

import pytest
from django.contrib import admin
from django.test import Client

from accounts.models import User
from vssid_portal.admin import DateHierarchyChangeList

pytestmark = pytest.mark.usefixtures("reference_data")

DATED = sorted(((model, model_admin) for model, model_admin in admin.site._registry.items()
                if model_admin.date_hierarchy), key=lambda pair: pair[0]._meta.label)
OUT_OF_RANGE = [
    {"year": "99999999999999999999"},  # OverflowError building the first day
    {"year": "9999"},  # ValueError stepping to the year after
    {"year": "9999", "month": "12"},  # OverflowError stepping to the month after
    {"year": "9999", "month": "12", "day": "31"},  # OverflowError stepping to the day after
    {"year": "0"},  # ValueError building the first day: Django's own redirect
]


def test_the_walk_finds_the_dated_admins():
    assert {model._meta.label for model, _ in DATED} >= {
        "accounts.Registration", "benefits.BenefitRecord", "lookup.NewsArticle", "public_services.Feedback",
        "public_services.Holiday"}


@pytest.mark.parametrize(("model", "model_admin"), DATED, ids=[model._meta.label for model, _ in DATED])
def test_a_date_out_of_range_redirects_to_the_list_instead_of_a_server_error(db, model, model_admin):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/"
    field = model_admin.date_hierarchy
    assert client.get(url, {f"{field}__year": "2025"}).status_code == 200  # the control
    for parts in OUT_OF_RANGE:
        response = client.get(url, {f"{field}__{part}": value for part, value in parts.items()})
        assert (response.status_code, response.get("Location")) == (302, f"{url}?e=1"), parts
    assert model_admin.get_changelist(None) is DateHierarchyChangeList  # the shared guard, not a copy
