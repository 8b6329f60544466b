"""The history page's rendered periods are cached under a digest of the data they show: any
change — a period written in bulk without touching `updated_at`, a renamed unit — shows at once."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from lookup.models import Employer
from participation.models import Period
from participation.selectors import periods_fingerprint
from tests.accounts.helpers import make_person

from .helpers import period

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def person(db, reference_data):
    return make_person()


@pytest.fixture
def logged_in(client, person):
    client.force_login(get_user_model().objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person))
    return client


def page(client) -> str:
    response = client.get("/qua-trinh-tham-gia/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_changed_period_or_a_renamed_unit_shows_on_the_next_visit(logged_in, person):
    first = period(person, "01/2010", "12/2012", base=7_000_000)
    assert "7.000.000" in page(logged_in) and "7.000.000" in page(logged_in)  # the second visit is served cached

    first.base = 9_500_000
    Period.objects.bulk_update([first], ["base"])  # a bulk write leaves updated_at as it was
    html = page(logged_in)
    assert "9.500.000" in html and "7.000.000" not in html

    Employer.objects.filter(pk=first.employer_id).update(name="Công ty TNHH Đổi Tên")
    assert "Công ty TNHH Đổi Tên" in page(logged_in)

    Period.objects.filter(pk=first.pk).delete()
    assert "Chưa có giai đoạn tham gia" in page(logged_in)


def test_the_digest_follows_the_data_on_postgresql(person):
    if connection.vendor != "postgresql":
        assert periods_fingerprint(person=person) is None
        return
    empty = periods_fingerprint(person=person)
    p = period(person, "01/2010", "12/2012")
    one = periods_fingerprint(person=person)
    Period.objects.filter(pk=p.pk).update(unpaid_months=2)
    assert len({empty, one, periods_fingerprint(person=person)}) == 3
    assert periods_fingerprint(person=person, kinds=["bhyt"]) == empty
