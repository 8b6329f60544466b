"""The officers' filing queue: a name is found with or without its diacritics and in any case
(the person's key is folded, the search is folded the same way) while codes and tracking numbers
are still found as typed; a filing of another agency is a 404 on every object page."""

import pytest

from accounts.models import User
from public_services.models import Filing
from tests.conftest import assert_search_reads_indexes, same_queries_whatever_found

from .helpers import citizen, district_officer, other_district_officer, owner, stranger, submit  # noqa: F401
from .test_admin import QUEUE, logged

pytestmark = pytest.mark.django_db


def found(client, query: str) -> set[str]:
    """The tracking numbers the queue lists for this search."""
    response = client.get(QUEUE, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return {number for number in Filing.objects.values_list("tracking_number", flat=True) if number in html}


@pytest.fixture
def cuong(reference_data):
    return citizen("7901000123", "Hoàng Trọng Cường", id_number="079088054321")


def test_a_name_is_found_with_or_without_diacritics_in_any_case(cuong, owner, stranger, district_officer):
    theirs, others, foreign = submit(cuong), submit(owner), submit(stranger)
    client = logged(district_officer)
    for query in ("Hoàng Trọng Cường", "hoang trong cuong", "HOÀNG TRỌNG CƯỜNG", "hoàng TRONG cường", "Cường,",
                  '"Trọng Cường"', "Hoa\u0300ng"):  # the last one decomposed, as some keyboards send it
        assert found(client, query) == {theirs.tracking_number}, query
    assert found(client, "Nguyễn Văn Đức") == {others.tracking_number}
    assert found(client, "Đức Cường") == set()  # every word must be found
    assert found(client, "Trần Thị Mai") == set()  # another agency's filing is not found by search
    assert foreign.tracking_number not in found(client, "")


def test_codes_and_tracking_numbers_are_still_found(cuong, owner, district_officer):
    theirs, others = submit(cuong), submit(owner)
    client = logged(district_officer)
    assert found(client, theirs.tracking_number) == {theirs.tracking_number}
    assert found(client, theirs.tracking_number.lower()) == {theirs.tracking_number}
    assert found(client, "7901000123") == {theirs.tracking_number}
    assert found(client, "7901234567 Đức") == {others.tracking_number}  # a code and a name together
    assert found(client, "") == {theirs.tracking_number, others.tracking_number}


def test_a_tracking_number_or_code_is_found_from_its_start(cuong, owner, district_officer):
    theirs = submit(cuong)
    submit(owner)
    client = logged(district_officer)
    assert found(client, theirs.tracking_number[:8].lower()) >= {theirs.tracking_number}
    assert found(client, "79010001") == {theirs.tracking_number}
    assert found(client, "Cường 790100") == {theirs.tracking_number}  # a name and the start of a code
    assert found(client, theirs.tracking_number[2:]) == set()  # the middle of a number: read from no index


@pytest.mark.parametrize("query", ["NUMBER", "number", "7901000123", "Hoàng Trọng", "Cường 7901000123"])
def test_a_search_reads_the_filings_from_indexes(cuong, owner, stranger, query):
    filing = submit(cuong)
    submit(owner), submit(stranger)  # a table of one row gives the planner nothing to choose from
    query = {"NUMBER": filing.tracking_number, "number": filing.tracking_number[:8].lower()}.get(query, query)
    superuser = User.objects.create_superuser("quantri", password="x-Pass-2026!")  # the whole country's queue
    assert_search_reads_indexes(Filing, query, superuser, ("public_services_filing", "accounts_person"))


def test_a_search_costs_the_same_queries_whatever_it_finds(cuong, district_officer):
    client = logged(district_officer)
    submit(cuong)

    def more():
        for code in ("DOI-LIEN-HE", "UY-QUYEN", "CHUYEN-NOI-HUONG"):  # 608A is held by the 607A
            submit(cuong, code)

    same_queries_whatever_found(client, QUEUE, more)
    assert len(found(client, "Cường")) > 1 and found(client, "Cường") == found(client, "")


@pytest.mark.parametrize("url_end", ["change/", "history/", "delete/"])
def test_another_agencys_filing_is_a_404_on_every_object_page(owner, stranger, district_officer,
                                                              other_district_officer, url_end):
    filing = submit(stranger)  # filed with 07902
    client = logged(district_officer)  # of 07901
    for response in (client.get(f"{QUEUE}{filing.pk}/{url_end}"), client.post(f"{QUEUE}{filing.pk}/{url_end}")):
        assert response.status_code == 404, response
        html = response.content.decode()
        for secret in ("Trần Thị Mai", "7909999999", filing.tracking_number):
            assert secret not in html, secret
    assert Filing.objects.filter(pk=filing.pk).exists()
    assert client.get(f"{QUEUE}999999/{url_end}").status_code == 404  # no such filing at all: the same answer
    # the positive controls: the officers of the filing's own agency open its pages (deleting stays refused)
    if url_end != "delete/":
        assert client.get(f"{QUEUE}{submit(owner).pk}/{url_end}").status_code == 200
        assert logged(other_district_officer).get(f"{QUEUE}{filing.pk}/{url_end}").status_code == 200
