"""Benefit records in the officers' admin: a beneficiary's name is found with or without its
diacritics, in any case and with punctuation around it (FoldedKeySearch), references, decision
numbers and BHXH codes from their start, each read from an index; another agency's record is a 404
on its object pages (NotFoundOutsideScope) while the officers of its agency, and of the province
above it, open it."""

import re
import unicodedata

import pytest

from tests.conftest import same_queries_whatever_found

from .helpers import DISTRICT, PROVINCE, benefits_officer, citizen, decided, record

pytestmark = pytest.mark.usefixtures("reference_data")
LIST = "/quan-tri/benefits/benefitrecord/"
REFERENCES = ("Q1-CUONG", "Q1-LAN", "TD-CUONG")


@pytest.fixture
def records(db, reference_data):
    cuong = citizen("7901000001", "Hoàng Trọng Cường", id_number="079088012345").person
    lan = citizen("7901000002", "Trần Thị Lan", id_number="079188012346", sex=2).person
    namesake = citizen("7903000003", "Hoàng Trọng Cường", id_number="079088012347").person
    return {
        "cuong": record(cuong, reference="Q1-CUONG", agency="07901"),
        "lan": record(lan, reference="Q1-LAN", agency="07901", **decided(decision_number="123/QĐ-BHXH")),
        "foreign": record(namesake, reference="TD-CUONG", agency="07903"),
    }


def listed(client, query: str) -> set[str]:
    """The references of the rows the list shows for this search (the search box itself not counted)."""
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('<table id="result_list">', 1)[1].split("</table>", 1)[0] if "result_list" in html else ""
    return {reference for reference in REFERENCES if reference in table}


@pytest.mark.parametrize("query", ["Hoàng Trọng Cường", "HOÀNG TRỌNG CƯỜNG", "hoang trong cuong", "Cường,",
                                   "Hoàng;", "(Trọng)", '"Trọng Cường"',
                                   unicodedata.normalize("NFD", "Hoàng Trọng Cường")])
def test_a_name_is_found_with_or_without_diacritics_in_any_case(client, records, query):
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    assert listed(client, query) == {"Q1-CUONG"}  # not the namesake's record of 07903


def test_references_codes_and_decision_numbers_are_still_found(client, records):
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    assert listed(client, "Q1-LAN") == {"Q1-LAN"}
    assert listed(client, "q1-cuong") == {"Q1-CUONG"}
    assert listed(client, "7901000002") == {"Q1-LAN"}
    assert listed(client, "123/QĐ-BHXH") == {"Q1-LAN"}  # as typed: no longer folded to "123/qd-bhxh"
    assert listed(client, "Lan 7901000001") == set()
    assert listed(client, "TD-CUONG") == set()
    assert listed(client, "") == {"Q1-CUONG", "Q1-LAN"}


def test_a_search_costs_the_same_queries_whatever_it_finds(client, records):
    client.force_login(benefits_officer("canbo079", "079", PROVINCE))

    def more():
        for agency in ("07901", "07902", "07903"):
            record(records["cuong"].person, agency=agency)

    same_queries_whatever_found(client, LIST, more)


@pytest.mark.parametrize("url_end", ["change/", "history/", "delete/"])
def test_another_agencys_record_is_a_404_and_its_own_officers_open_it(client, records, url_end):
    foreign = records["foreign"]
    url = f"{LIST}{foreign.pk}/{url_end}"
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    for response in (client.get(url), client.post(url, {"status": "processing"})):
        assert response.status_code == 404, response
        assert "TD-CUONG" not in response.content.decode() and "7903000003" not in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.status == "received"
    assert client.get(f"{LIST}999999/{url_end}").status_code == 404  # no such record at all: the same answer
    if url_end != "delete/":  # the positive controls (officers hold no delete permission)
        assert client.get(f"{LIST}{records['cuong'].pk}/{url_end}").status_code == 200
        for insider in (benefits_officer("canbo07903", "07903", DISTRICT),
                        benefits_officer("canbo079", "079", PROVINCE)):
            client.force_login(insider)
            response = client.get(url)
            assert response.status_code == 200 and "TD-CUONG" in response.content.decode()


def test_a_reference_decision_or_code_is_found_from_its_start(client, records):
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    assert listed(client, "Q1-") == {"Q1-CUONG", "Q1-LAN"}
    assert listed(client, "q1-l") == {"Q1-LAN"}
    assert listed(client, "123/") == {"Q1-LAN"}
    assert listed(client, "790100000") == {"Q1-CUONG", "Q1-LAN"}
    assert listed(client, "Cường 79010") == {"Q1-CUONG"}  # a name and the start of a code
    assert listed(client, "1000002") == set()  # the middle of a code: read from no index


@pytest.mark.parametrize("query", ["Q1-LAN", "7901000002", "123/QĐ-BHXH", "Hoàng Trọng", "Cường 7901000001"])
def test_a_search_reads_the_records_from_indexes(client, records, query):
    """A code, a reference, a decision number or a name finds the records through an index (the
    person's trigram indexes, the upper-case references' and decision numbers' B-trees), never by
    reading every record of the country."""
    from django.contrib import admin
    from django.db import connection
    from django.test import RequestFactory

    from benefits.models import BenefitRecord
    from tests.conftest import missing

    user = benefits_officer("quantri", "079", PROVINCE)
    user.is_superuser = True
    request = RequestFactory().get(LIST, {"q": query})
    request.user = user
    changelist = admin.site.get_model_admin(BenefitRecord).get_changelist_instance(request)
    assert {row.reference for row in changelist.result_list} <= set(REFERENCES) and changelist.result_list
    if connection.vendor != "postgresql":
        missing("the plan asserted is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE benefits_benefitrecord")
        cursor.execute("ANALYZE accounts_person")
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: see what the planner *can* use,
        cursor.execute("SET LOCAL enable_indexscan = off")  # and no whole index read in order either
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
    plan = changelist.queryset.order_by().explain()  # the search's plan, without the list's order
    assert "Seq Scan on benefits_benefitrecord" not in plan, plan
    assert "Seq Scan on accounts_person" not in plan, plan
    # nor a whole index read in order: the planner needed none of the reads switched off above (each
    # costs 10¹⁰ more)
    assert float(re.search(r"cost=[\d.]+\.\.([\d.]+)", plan).group(1)) < 1e9, plan
