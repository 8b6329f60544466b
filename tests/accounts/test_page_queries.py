"""The citizen's own pages (the personal page, registering a child, switching to a child, the security
page), rendered with the page cache off, read as many queries with fifteen children, records, periods and
sessions as with one, and the count at fifteen is held (a new query is noticed). The password change page
lists none of them: it is held to an exact count with fifteen of each beside it."""

import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Guardianship
from tests.accounts.helpers import make_person
from tests.benefits.helpers import record
from tests.participation.helpers import period
from tests.public_services.helpers import citizen

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture(autouse=True)
def rendered_every_time(monkeypatch):
    """The page cache off: every request renders the page and reads what it shows."""
    from vssid_portal import pagecache

    monkeypatch.setattr(pagecache.Page, "cached", lambda self: None)


def _add(user, n: int) -> None:
    """The n-th of each: a period, a benefit record, a child whose records the user views, a session."""
    period(user.person, f"01/{1990 + n}", f"12/{1990 + n}")
    record(user.person, reference=f"HS-{n:02d}")
    child = make_person(f"79055{n:05d}", f"Nguyễn Con Số {n}", birth=datetime.date(2020, 1, 1), id_number=f"0792200{n:05d}")
    Guardianship.objects.create(parent=user, child=child, relationship="cha")
    browser = Client()  # a session of the login's own, kept by the security page
    browser.force_login(user)
    browser.get("/tai-khoan/doi-mat-khau/")


def _first_child(user) -> str:
    return f"/ca-nhan/xem/{Guardianship.objects.filter(parent=user).order_by('pk').first().child_id}/"


# page: (its address for the user, its status)
PAGES = {
    "personal page": (lambda user: "/ca-nhan/", 200),
    "register a child": (lambda user: "/ca-nhan/dang-ky-cho-con/", 200),
    "switch to a child": (_first_child, 302),
    "security": (lambda user: "/tai-khoan/bao-mat/", 200),
}
# the queries of each page at fifteen: the login, the session and what the page reads, with the personal
# page's content version (selectors.content_version), read on PostgreSQL only
QUERIES = {"personal page": 4 if connection.vendor == "postgresql" else 3, "register a child": 7, "switch to a child": 4, "security": 4}


@pytest.mark.parametrize("shown", PAGES)
def test_a_page_reads_as_many_queries_for_fifteen_rows_as_for_one(client, shown, django_assert_num_queries):
    address, status = PAGES[shown]
    user = citizen(monthly_benefit=False)
    client.force_login(user)

    def queries(counted) -> int:
        url = address(user)
        client.get(url)  # warm: the session, the caches
        if shown == "switch to a child":  # back to one's own records, so that the request counted switches again
            client.post(reverse("accounts:view_as"), {})
        with counted as captured:
            assert client.get(url).status_code == status
        return len(captured)

    _add(user, 1)
    one = queries(CaptureQueriesContext(connection))
    for n in range(2, 16):
        _add(user, n)
    assert queries(django_assert_num_queries(QUERIES[shown])) == one
    assert UserSession.objects.filter(user=user).count() == 16  # each browser's, and the test client's


def test_the_password_change_page_reads_an_exact_count_of_queries_beside_fifteen_of_everything(
        client, django_assert_num_queries):
    """An exact count, not one against one: the page shows none of the children, records, periods or sessions,
    so one and fifteen could not differ; held at fifteen (the login's, from the session), a query added is
    noticed."""
    user = citizen(monthly_benefit=False)
    client.force_login(user)
    for n in range(1, 16):
        _add(user, n)
    client.get("/tai-khoan/doi-mat-khau/")  # warm: the session, the caches
    with django_assert_num_queries(1):
        assert client.get("/tai-khoan/doi-mat-khau/").status_code == 200
