"""The officers' lists of national size (periods, visits, card checks, persons, the outbox) read
what a page shows and no more: no date hierarchy or agency filter that finds its choices by
reading every row, no count of the whole table beside the count of the filtered rows."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lookup.models import Agency
from tests.accounts.helpers import make_person, officer
from tests.participation.helpers import period

pytestmark = pytest.mark.usefixtures("reference_data")

PROVINCE = "Cán bộ BHXH tỉnh"
BIG_LISTS = ["/quan-tri/participation/period/", "/quan-tri/health_card/visit/", "/quan-tri/health_card/cardcheck/",
             "/quan-tri/accounts/person/", "/quan-tri/notifications/message/"]


@pytest.fixture
def superuser(client):
    client.force_login(get_user_model().objects.create_superuser("quantri", password="x-Pass-2026!"))
    return client


@pytest.mark.parametrize("url", BIG_LISTS)
def test_a_big_list_reads_no_distinct_choices_and_one_count(superuser, url):
    superuser.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = superuser.get(url, {"q": "nguyen"})
    assert response.status_code == 200
    sql = [query["sql"].upper() for query in queries]
    assert not [query for query in sql if "DISTINCT" in query], url
    assert len([query for query in sql if "COUNT(" in query]) == 1, url


def test_periods_are_filtered_by_year(superuser):
    person = make_person()
    period(person, "01/2019", "12/2019", base=5_000_000)
    period(person, "01/2020", "12/2020", base=6_000_000)
    html = superuser.get("/quan-tri/participation/period/", {"from_month_nam": "2020"}).content.decode()
    assert "01/2020" in html and "01/2019" not in html
    assert '?from_month_nam=1995"' in superuser.get("/quan-tri/participation/period/").content.decode()
    for wrong in ("1994", "x", "２０２０"):  # not offered: the whole list, no error
        html = superuser.get("/quan-tri/participation/period/", {"from_month_nam": wrong}).content.decode()
        assert "01/2020" in html and "01/2019" in html, wrong


def test_the_agency_filter_offers_the_officers_agencies(client):
    client.force_login(officer("canbo079", "079", PROVINCE))
    html = client.get("/quan-tri/participation/period/").content.decode()
    offered = set(re.findall(r"\?agency__id__exact=(\d+)", html))
    expected = {str(pk) for pk in Agency.objects.filter(code__startswith="079").values_list("pk", flat=True)}
    assert offered == expected and str(Agency.objects.get(code="00101").pk) not in offered
