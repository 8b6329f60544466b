"""Periods in the officers' admin: a person's name is found with or without its diacritics, in any
case and with punctuation around it (FoldedKeySearch), codes as typed; another agency's period is
a 404 on its object pages (NotFoundOutsideScope) while its own agency's officers open it."""

import unicodedata

import pytest

from tests.accounts.helpers import managed_person, officer
from tests.conftest import assert_search_reads_indexes, same_queries_whatever_found

from .helpers import period

pytestmark = pytest.mark.usefixtures("reference_data")
DISTRICT = "Cán bộ BHXH cơ sở"
LIST = "/quan-tri/participation/period/"
CODES = ("7901000001", "7901000002", "7903000003")


@pytest.fixture
def periods(db, reference_data):
    cuong = managed_person("7901000001", "Hoàng Trọng Cường", "07901", "079088012345")
    lan = managed_person("7901000002", "Trần Thị Lan", "07901", "079188012346", sex=2)
    namesake = managed_person("7903000003", "Hoàng Trọng Cường", "07903", "079088012347")  # managed by Thủ Đức
    return {"cuong": period(cuong, "01/2012", "12/2012"), "lan": period(lan, "01/2013", "12/2013"),
            "foreign": period(namesake, "01/2014", "12/2014", agency_code="07903")}


def listed(client, query: str) -> set[str]:
    """The BHXH codes of the rows the list shows for this search (the search box itself not counted)."""
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('<table id="result_list">', 1)[1].split("</table>", 1)[0] if "result_list" in html else ""
    return {code for code in CODES if code in table}


@pytest.mark.parametrize("query", ["Hoàng Trọng Cường", "HOÀNG TRỌNG CƯỜNG", "hoang trong cuong", "Hoàng,",
                                   "(Cường)", '"Trọng Cường"', unicodedata.normalize("NFD", "Hoàng Trọng Cường")])
def test_a_name_is_found_with_or_without_diacritics_in_any_case(client, periods, query):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert listed(client, query) == {"7901000001"}  # not the namesake of 07903


def test_codes_are_still_found_and_every_word_must_match(client, periods):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert listed(client, "7901000002") == {"7901000002"}
    assert listed(client, "Lan 7901000002") == {"7901000002"}
    assert listed(client, "Lan 7901000001") == set()
    employer = periods["lan"].employer.code
    assert listed(client, employer) == {"7901000001", "7901000002"}  # the same employer of 07901
    assert listed(client, f"{employer.lower()} Trần") == {"7901000002"}
    assert listed(client, "7903000003") == set()  # another agency's period is not found by search
    assert listed(client, "") == {"7901000001", "7901000002"}


def test_a_code_is_found_from_its_start(client, periods):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    employer = periods["lan"].employer.code
    assert listed(client, employer[:-1].lower()) == {"7901000001", "7901000002"}
    assert listed(client, "790100000") == {"7901000001", "7901000002"}
    assert listed(client, "Cường 79010") == {"7901000001"}  # a name and the start of a code
    assert listed(client, "1000002") == set()  # the middle of a code: read from no index


@pytest.mark.parametrize("query", ["EMPLOYER", "employer", "7901000002", "790100", "Hoàng Trọng", "Cường 7901000001"])
def test_a_search_reads_the_periods_from_indexes(periods, query):
    from participation.models import Period

    code = periods["lan"].employer.code
    query = {"EMPLOYER": code, "employer": code[:-1].lower()}.get(query, query)
    user = officer("quantri", "079", "Cán bộ BHXH tỉnh")
    user.is_superuser = True
    assert_search_reads_indexes(Period, query, user, ("participation_period", "accounts_person", "lookup_employer"))


def test_a_search_costs_the_same_queries_whatever_it_finds(client, periods):
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    namesake = periods["foreign"].person

    def more():
        for year in ("2015", "2016", "2017"):
            period(namesake, f"01/{year}", f"12/{year}", agency_code="07903")

    same_queries_whatever_found(client, LIST, more)


@pytest.mark.parametrize("url_end", ["change/", "history/", "delete/"])
def test_another_agencys_period_is_a_404_and_its_own_agency_opens_it(client, periods, url_end):
    foreign = periods["foreign"]
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    url = f"{LIST}{foreign.pk}/{url_end}"
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 404, response
        assert "7903000003" not in response.content.decode()
    assert client.get(f"{LIST}999999/{url_end}").status_code == 404  # no such period at all: the same answer
    if url_end != "delete/":  # the positive controls (officers hold no delete permission)
        assert client.get(f"{LIST}{periods['cuong'].pk}/{url_end}").status_code == 200
        client.force_login(officer("canbo07903", "07903", DISTRICT))
        response = client.get(url)
        assert response.status_code == 200 and "7903000003" in response.content.decode()
