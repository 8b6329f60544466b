"""The citizen's public-service pages (the services index, a procedure's form, a returned filing's
correction page, a filing's withdrawal), rendered with the page cache off, read as many queries with
fifteen filings of the citizen (and their steps and notices) as with one, and the count at fifteen is
held (a new query is noticed)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from public_services.procedures import registry
from public_services.services import filing_receive, filing_return

from .helpers import district_officer, owner, submit, withdrawn  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def rendered_every_time(monkeypatch):
    """The page cache off: every request renders the page and reads what it shows."""
    from vssid_portal import pagecache

    monkeypatch.setattr(pagecache.Page, "cached", lambda self: None)


# page: its address, given the returned filing the correction and withdrawal pages are of
PAGES = {
    "services index": lambda filing: "/dich-vu-cong/",
    "a procedure's form": lambda filing: f"/dich-vu-cong/{registry.get('DOI-LIEN-HE').slug}/",
    "correction": lambda filing: f"/dich-vu-cong/ho-so/{filing.pk}/sua/",
    "withdrawal": lambda filing: f"/dich-vu-cong/ho-so/{filing.pk}/rut/",
}
# the queries of each page at fifteen filings: the login, the session and what the page reads
QUERIES = {"services index": 6, "a procedure's form": 5, "correction": 4, "withdrawal": 4}


@pytest.mark.parametrize("shown", PAGES)
def test_a_page_reads_as_many_queries_for_fifteen_filings_as_for_one(client, owner, district_officer, shown,
                                                                     django_assert_num_queries, monkeypatch):
    monkeypatch.setattr("public_services.services.filings.SUBMISSIONS_PER_LOGIN", 20)  # fifteen within the hour
    returned = submit(owner, "608A")
    filing_receive(filing=returned, officer=district_officer)
    filing_return(filing=returned, officer=district_officer, what="Chụp lại ảnh")
    url = PAGES[shown](returned)
    client.force_login(owner)

    def queries(counted) -> int:
        client.get(url)  # warm: the session, the caches
        with counted as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries(CaptureQueriesContext(connection))
    for _ in range(14):  # withdrawn: the procedure may be filed again
        withdrawn(submit(owner, "DOI-LIEN-HE"))
    assert queries(django_assert_num_queries(QUERIES[shown])) == one
