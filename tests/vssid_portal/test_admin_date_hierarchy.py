"""Every admin list answers a date out of range in its address (`?at__year=99999999999999999999`,
`?birth_date__year=0`), on its date hierarchy or on any other date of its rows, like any other wrong
filter — a redirect to the list with `?e=1` — and not with a server error (Django's ChangeList lets
the OverflowError and the year lookups' ValueError through)."""

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client

from accounts.models import User
from vssid_portal.admin import PortalChangeList

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
    # The lists of millions of rows have a year filter instead (test_admin_big_lists.py).
    assert {model._meta.label for model, _ in DATED} >= {"lookup.NewsArticle", "public_services.Holiday"}


@pytest.mark.parametrize(("model", "model_admin"), DATED, ids=[model._meta.label for model, _ in DATED])
def test_a_date_out_of_range_redirects_to_the_list_instead_of_a_server_error(reference_data, model, model_admin):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/"
    field = model_admin.date_hierarchy
    assert client.get(url, {f"{field}__year": "2025"}).status_code == 200  # the control
    for parts in OUT_OF_RANGE:
        response = client.get(url, {f"{field}__{part}": value for part, value in parts.items()})
        assert (response.status_code, response.get("Location")) == (302, f"{url}?e=1"), parts
    assert model_admin.get_changelist(None) is PortalChangeList  # the shared guard, not a copy


# Every date of every admin's rows, the installed packages' admins (allauth's sessions) included.
DATES = sorted(((model, field.name) for model in admin.site._registry for field in model._meta.concrete_fields
                if isinstance(field, models.DateField)), key=lambda pair: (pair[0]._meta.label, pair[1]))
WRONG = [
    {"year": "0"}, {"year": "10000"}, {"year": "99999999999"},  # ValueError, ValueError, OverflowError
    {"month": "13"}, {"day": "99999999999999999999"}, {"year": "abc"}, {"year__gte": "99999"},
]


def test_the_walk_finds_dates_off_the_hierarchies():
    assert {(model._meta.label, name) for model, name in DATES} >= {
        ("public_services.Filing", "submitted_at"), ("accounts.Person", "birth_date"), ("health_card.Visit", "admitted_on"),
        ("accounts.Registration", "decided_at"), ("usersessions.UserSession", "created_at")}


@pytest.mark.parametrize(("model", "field"), DATES, ids=[f"{model._meta.label}.{field}" for model, field in DATES])
def test_a_wrong_date_part_of_any_date_redirects_to_the_list(db, model, field):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("quantri", password=None))
    url = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/"
    assert client.get(url, {f"{field}__year": "2025", f"{field}__month": "12"}).status_code == 200  # the control
    for parts in WRONG:
        response = client.get(url, {f"{field}__{part}": value for part, value in parts.items()})
        assert (response.status_code, response.get("Location")) == (302, f"{url}?e=1"), parts


DATETIMES = [(model, field) for model, field in DATES if isinstance(model._meta.get_field(field), models.DateTimeField)]


@pytest.mark.parametrize(("model", "field"), DATETIMES, ids=[f"{model._meta.label}.{field}" for model, field in DATETIMES])
def test_the_year_1_of_a_date_and_time_redirects_to_the_list(db, model, field):
    """The year 1 begins in Hồ Chí Minh City before the first instant UTC holds: on SQLite, which
    compares times in UTC, the list's query could not be built (OverflowError)."""
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("quantri", password=None))
    url = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/"
    assert client.get(url, {f"{field}__year": "2"}).status_code == 200  # the control
    for parts in [{"year": "1"}, {"year__gte": "1"}, {"year": "1", "month": "1", "day": "1"}]:
        response = client.get(url, {f"{field}__{part}": value for part, value in parts.items()})
        assert (response.status_code, response.get("Location")) == (302, f"{url}?e=1"), parts
    assert client.get("/quan-tri/accounts/person/", {"birth_date__year": "1"}).status_code == 200  # a date alone


def test_a_number_field_named_like_a_date_part_is_no_date(db):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("quantri", password=None))
    # SalaryAdjustment.year is a number: a year past 9999 finds no row, it is not a wrong date.
    assert client.get("/quan-tri/benefits/salaryadjustment/", {"year": "10000"}).status_code == 200
