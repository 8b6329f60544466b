"""The officers' lists of national size (periods, visits, card checks, persons, the outbox,
benefit records, registrations, feedback, cards, statements, filings) read what a page shows and no more: no date hierarchy
or agency filter that finds its choices by reading every row, no count of the whole table beside
the count of the filtered rows."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Registration
from lookup.models import Agency
from public_services.models import Feedback
from tests.accounts.helpers import make_person, officer
from tests.benefits.helpers import record
from tests.participation.helpers import period
from vssid_portal.admin import RecentDateFilter
from vssid_portal.form_keys import new_idempotency_key

pytestmark = pytest.mark.usefixtures("reference_data")

DISTRICT, PROVINCE = "Cán bộ BHXH cơ sở", "Cán bộ BHXH tỉnh"
BIG_LISTS = ["/quan-tri/participation/period/", "/quan-tri/health_card/visit/", "/quan-tri/health_card/cardcheck/",
             "/quan-tri/accounts/person/", "/quan-tri/notifications/message/", "/quan-tri/benefits/benefitrecord/",
             "/quan-tri/accounts/registration/", "/quan-tri/public_services/feedback/", "/quan-tri/health_card/card/",
             "/quan-tri/participation/statement/", "/quan-tri/public_services/filing/"]


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
    assert not [query for query in sql if "MIN(" in query or "MAX(" in query], url  # the date hierarchy's range
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


# The lists of a date the officers pick by year: each builder stores a row of the agency `agency`
# dated in `year`, and returns what the list shows of it.
def _on(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 6, 15, 9, 30))


def _registration(agency: str, year: int, number: int) -> str:
    person = make_person(f"79010000{number:02d}", id_number=f"0790880123{number:02d}")
    registration = Registration.objects.create(
        reference=f"DK-{number:02d}", person=person, bhxh_code=person.bhxh_code, full_name=person.full_name,
        birth_date=person.birth_date, province=person.province, ward=person.ward, street="12 Lê Lợi",
        phone="+84987654321", agency=Agency.objects.get(code=agency))
    Registration.objects.filter(pk=registration.pk).update(submitted_at=_on(year))
    return registration.reference


def _benefit_record(agency: str, year: int, number: int) -> str:
    person = make_person(f"79010000{number:02d}", id_number=f"0790880123{number:02d}")
    received = datetime.date(year, 6, 15)
    return record(person, agency=agency, reference=f"HS-{number:02d}", received_on=received,
                  expected_on=received + datetime.timedelta(days=14)).reference


def _feedback(agency: str, year: int, number: int) -> str:
    feedback = Feedback.objects.create(
        tracking_number=f"PA-{number:02d}", topic=Feedback.Topic.CONTRIBUTION, content="Chưa nhận được sổ BHXH.",
        agency=Agency.objects.get(code=agency), full_name="Trần Thị Mai", phone="+84912345678",
        idempotency_key=new_idempotency_key())
    Feedback.objects.filter(pk=feedback.pk).update(created_at=_on(year))
    return feedback.tracking_number


DATED_LISTS = {
    "/quan-tri/accounts/registration/": ("submitted_at_nam", _registration),
    "/quan-tri/benefits/benefitrecord/": ("received_on_nam", _benefit_record),
    "/quan-tri/public_services/feedback/": ("created_at_nam", _feedback),
}


def shown(client, url: str, query: dict, rows: dict) -> set[str]:
    """Which of `rows` (label: what the list shows of it) the list shows for this query."""
    response = client.get(url, query)
    assert response.status_code == 200
    table = response.content.decode().split('id="result_list"', 1)[-1].split("</table>", 1)[0]
    return {label for label, text in rows.items() if text in table}


@pytest.mark.parametrize("url", DATED_LISTS)
def test_the_year_filter_filters_within_the_officers_agency(client, url):
    parameter, build = DATED_LISTS[url]
    rows = {"old": build("07901", 2025, 1), "new": build("07901", 2026, 2), "foreign": build("07902", 2026, 3)}
    client.force_login(get_user_model().objects.create_superuser("quantri", password="x-Pass-2026!"))
    assert shown(client, url, {}, rows) == {"old", "new", "foreign"}
    assert shown(client, url, {parameter: "2026"}, rows) == {"new", "foreign"}
    assert f'?{parameter}=2025"' in client.get(url).content.decode()
    for wrong in ("1990", "x", "２０２６"):  # not offered: the whole list, no error
        assert shown(client, url, {parameter: wrong}, rows) == {"old", "new", "foreign"}, wrong
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert shown(client, url, {}, rows) == {"old", "new"}
    assert shown(client, url, {parameter: "2026"}, rows) == {"new"}
    assert shown(client, url, {parameter: "2025"}, rows) == {"old"}


@pytest.mark.parametrize("url", ["/quan-tri/accounts/registration/", "/quan-tri/benefits/benefitrecord/"])
def test_the_date_filter_beside_the_year_filter_leaves_the_year_to_it(superuser, url):
    changelist = superuser.get(url).context["cl"]
    dates = [spec for spec in changelist.filter_specs if isinstance(spec, RecentDateFilter)]
    assert len(dates) == 1
    with translation.override("vi"):
        offered = [str(choice["display"]) for choice in dates[0].choices(changelist)]
        assert offered == [gettext("Any date"), gettext("Today"), gettext("Past 7 days"), gettext("This month")]
        assert gettext("This year") == "Năm nay"  # the Vietnamese the filter no longer shows


# --- PostgreSQL: a big list's first page in its default order is read from an index ------------

def _period(agency: str, year: int, number: int) -> str:
    person = make_person(f"79010000{number:02d}", id_number=f"0790880123{number:02d}")
    return period(person, f"01/{year}", f"12/{year}", agency_code=agency)


# url: (index in the list's own order, the same within one agency, its table, the year filter, a row's
# builder, a row's year)
ORDERED_LISTS = {
    "/quan-tri/participation/period/": ("period_admin_order_idx", "period_agency_order_idx", "participation_period",
                                        "from_month_nam", _period, lambda row: row.from_month.year),
    "/quan-tri/benefits/benefitrecord/": ("benefit_admin_order_idx", "benefit_agency_order_idx", "benefits_benefitrecord",
                                          "received_on_nam", _benefit_record, lambda row: row.received_on.year),
    "/quan-tri/public_services/feedback/": ("ps_feedback_admin_order_idx", "ps_feedback_agency_order_idx",
                                            "public_services_feedback", "created_at_nam", _feedback,
                                            lambda row: timezone.localtime(row.created_at).year),
}
SEEN_BY = {  # who, what they ask: the rows (year, agency) of the first page, in the order shown
    "everything": ("superuser", {}, [(2026, "07902"), (2026, "07901"), (2025, "07902"), (2025, "07901"),
                                     (2024, "07902"), (2024, "07901")]),
    "one agency": ("superuser", {"agency": "07901"}, [(2026, "07901"), (2025, "07901"), (2024, "07901")]),
    "one year": ("superuser", {"year": "2025"}, [(2025, "07902"), (2025, "07901")]),
    "district": ("district", {}, [(2026, "07901"), (2025, "07901"), (2024, "07901")]),
    "province": ("province", {}, [(2026, "07902"), (2026, "07901"), (2025, "07902"), (2025, "07901"),
                                  (2024, "07902"), (2024, "07901")]),
    "province, one year": ("province", {"year": "2026"}, [(2026, "07902"), (2026, "07901")]),
    "one agency, one year": ("superuser", {"agency": "07901", "year": "2025"}, [(2025, "07901")]),
}
ONE_AGENCY = {"one agency", "district", "one agency, one year"}


def _first_page(client, url: str, build, year_parameter: str, case: str):
    """The change list of `url` seen as SEEN_BY[case] says, over a row a year (2024–2026) in each of
    two districts, both on the same day of the year (so their order is Django's final "-pk")."""
    who, query, _ = SEEN_BY[case]
    number = 0
    for year in (2024, 2025, 2026):
        for agency in ("07901", "07902"):
            number += 1
            build(agency, year, number)
    user = {"superuser": lambda: get_user_model().objects.create_superuser("quantri", password="x-Pass-2026!"),
            "district": lambda: officer("canbo07901", "07901", DISTRICT),
            "province": lambda: officer("canbo079", "079", PROVINCE)}[who]()
    query = {("agency__id__exact" if key == "agency" else year_parameter):
             (str(Agency.objects.get(code=value).pk) if key == "agency" else value) for key, value in query.items()}
    client.force_login(user)
    return client.get(url, query).context["cl"]


def _plan(changelist, tables: str) -> str:
    with connection.cursor() as cursor:
        # Rebuilt first: the rows of earlier tests, rolled back, stay behind as dead entries, more in one
        # index than another (an agency index grows at each test's new agency ids), and would weigh the
        # choice between them by the order the tests ran in. Undone with the test's transaction.
        cursor.execute(f"REINDEX TABLE {tables}")
        cursor.execute(f"ANALYZE {tables}")
        # A tiny table, where a scan and a sort would win: forbid them to see what the planner *can* do
        # (with millions of rows it chooses the list's index by itself instead of sorting the whole list).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    return changelist.queryset[:changelist.list_per_page].explain()


@pytest.mark.parametrize("case", SEEN_BY)
@pytest.mark.parametrize("url", ORDERED_LISTS)
def test_the_first_page_of_a_big_list_is_read_in_order_from_an_index(client, url, case):
    from tests.conftest import missing

    if connection.vendor != "postgresql":
        missing("the plan asserted is PostgreSQL's")
    national, within_agency, table, year_parameter, build, year_of = ORDERED_LISTS[url]
    changelist = _first_page(client, url, build, year_parameter, case)
    # newest first, and on the same day the row entered last first, as before
    assert [(year_of(row), row.agency.code) for row in changelist.result_list] == SEEN_BY[case][2]
    plan = _plan(changelist, table)
    # One agency's rows (a district officer's, or those of the agency picked in the filter) are read from
    # its own part of the index, not picked out of the country's newest rows one by one: every row of the
    # country for an agency whose rows are old or few.
    index = within_agency if case in ONE_AGENCY else national
    assert f"Index Scan using {index} on {table}" in plan, plan
    assert case not in ONE_AGENCY or re.search(r"Index Cond: \(.*agency_id = ", plan), plan
    assert "Sort" not in plan, plan  # the page is not sorted out of every row of the list


@pytest.mark.parametrize("case", SEEN_BY)
def test_the_first_page_of_registrations_is_read_in_order_from_the_date_index(client, case):
    """Registrations need no index of their own: the one on the date they were sent gives them in
    order, and only the rows of one same instant are put in order of number (an incremental sort)."""
    from tests.conftest import missing

    if connection.vendor != "postgresql":
        missing("the plan asserted is PostgreSQL's")
    changelist = _first_page(client, "/quan-tri/accounts/registration/", _registration, "submitted_at_nam", case)
    assert [(timezone.localtime(row.submitted_at).year, row.agency.code)
            for row in changelist.result_list] == SEEN_BY[case][2]
    plan = _plan(changelist, "accounts_registration")
    assert "Index Scan Backward using accounts_registration_submitted_at_" in plan, plan
    assert not re.search(r"^\s*(->\s+)?Sort  \(", plan, re.MULTILINE), plan  # no sort of every registration
