"""What the statements' limits count: the check page's lookups of a code and the owner's requests
to build a statement again, not the waiting page's checks of a code looked up within FOUND_SECONDS
nor a request to build again a statement that is ready or being built."""

import re
import time

import pytest
from django.test import Client

from participation.models import Statement
from participation.services import statements as service
from participation.views import statements as views
from tests.participation.test_statement import (  # noqa: F401 (fixtures)
    LIST_URL,
    VALID,
    employers,
    owner,
    owner_client,
    ready,
)

pytestmark = pytest.mark.usefixtures("reference_data")

POLL = {"HTTP_X_REQUESTED_WITH": "poll"}  # what static/js/poll.js sends with each check
LOOKUPS = int(views.VERIFY_RATE.split("/")[0])


def building(owner):
    """A statement whose build has not run yet (its task is queued on commit, never reached here)."""
    return service.statement_request(person=owner.person, requested_by=owner, verify_base="http://testserver")


def test_the_checks_of_a_waiting_check_page_are_not_counted_as_lookups(owner):
    """A check page waiting for the PDF checks again every 5 seconds: those checks of the code its
    visitor has looked up are not lookups, so a slow build does not spend the visitor's limit, and
    the page still shows the statement once it is ready."""
    statement = building(owner)
    client, path, address = Client(), service.verify_path(statement.code), "203.0.113.20"
    assert client.get(path, REMOTE_ADDR=address).status_code == 200  # lookup 1
    for _ in range(LOOKUPS + 10):  # more checks than the limit's lookups
        response = client.get(path, REMOTE_ADDR=address, **POLL)
        assert response.status_code == 200 and "đang được tạo" in response.content.decode()
    service.statement_build(statement_id=statement.pk, verify_base="http://testserver")
    response = client.get(path, REMOTE_ADDR=address, **POLL)
    assert response.status_code == 200 and VALID in response.content.decode()
    for _ in range(LOOKUPS - 1):  # lookups 2 … 30
        assert client.get(service.verify_path(service.code_new()), REMOTE_ADDR=address).status_code == 200
    assert client.get(path, REMOTE_ADDR=address).status_code == 429  # a reload is a lookup, as before


def test_a_check_of_a_code_the_client_has_not_found_is_a_lookup(owner):
    """Only a code this client has looked up and found is checked again for free: codes guessed,
    sent as the waiting page's checks, are lookups like any other, and one client's lookup frees
    no other client's checks."""
    statement = building(owner)
    client, address = Client(), "203.0.113.21"
    unknown = service.verify_path(service.code_new())
    for _ in range(LOOKUPS):
        assert client.get(unknown, REMOTE_ADDR=address, **POLL).status_code == 200
    assert client.get(service.verify_path(service.code_new()), REMOTE_ADDR=address, **POLL).status_code == 429
    assert client.get(service.verify_path(statement.code), REMOTE_ADDR=address, **POLL).status_code == 429

    assert client.get(service.verify_path(statement.code), REMOTE_ADDR="203.0.113.22").status_code == 200
    for _ in range(LOOKUPS):
        client.get(service.verify_path(service.code_new()), REMOTE_ADDR="203.0.113.23", **POLL)
    assert client.get(service.verify_path(statement.code), REMOTE_ADDR="203.0.113.23", **POLL).status_code == 429


def test_the_checks_of_a_waiting_page_have_a_limit_of_their_own(owner):
    """Checks again of a code already found are not free without end: past their own, generous limit
    they are refused with Retry-After, and lookups of other codes are not held back by them."""
    statement = building(owner)
    client, path, address = Client(), service.verify_path(statement.code), "203.0.113.24"
    assert client.get(path, REMOTE_ADDR=address).status_code == 200
    for _ in range(int(views.RECHECK_RATE.split("/")[0])):
        assert client.get(path, REMOTE_ADDR=address, **POLL).status_code == 200
    response = client.get(path, REMOTE_ADDR=address, **POLL)
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60
    assert "đang được tạo" not in response.content.decode()
    assert client.get(service.verify_path(service.code_new()), REMOTE_ADDR=address).status_code == 200


@pytest.fixture
def clock(monkeypatch):
    """Sets the clock (time.time: the found window's, the cache's and the limits' windows') to a number
    of seconds after the test's start, where it stands until set again."""
    start = time.time()

    def set_to(seconds: int):
        monkeypatch.setattr(time, "time", lambda: start + seconds)

    return set_to


def new_code_path() -> str:
    return service.verify_path(service.code_new())


def test_a_found_code_is_checked_again_free_only_for_a_while_after_the_lookup_that_found_it(owner, clock):
    """The waiting page's checks of a code its visitor found are free for FOUND_SECONDS (a slow build's
    time) from the lookup that found it, however often the page checks meanwhile; its next check is
    a lookup again, which still shows the statement, costs one of the visitor's lookups and, having
    found the code, frees the checks for another FOUND_SECONDS."""
    statement = building(owner)
    client, path, address = Client(), service.verify_path(statement.code), "203.0.113.25"
    clock(0)
    assert client.get(path, REMOTE_ADDR=address).status_code == 200  # the lookup that finds the code
    last_free = views.FOUND_SECONDS - 60
    for second in range(60, last_free + 1, 60):  # the page checks all along (here once a minute)
        clock(second)
        assert client.get(path, REMOTE_ADDR=address, **POLL).status_code == 200
    for _ in range(LOOKUPS):
        assert client.get(new_code_path(), REMOTE_ADDR=address).status_code == 200
    assert client.get(path, REMOTE_ADDR=address, **POLL).status_code == 200  # not a lookup yet

    clock(views.FOUND_SECONDS + 60)  # another minute of the lookups' limit
    response = client.get(path, REMOTE_ADDR=address, **POLL)
    assert response.status_code == 200 and "đang được tạo" in response.content.decode()
    for _ in range(LOOKUPS - 1):
        assert client.get(new_code_path(), REMOTE_ADDR=address).status_code == 200
    assert client.get(new_code_path(), REMOTE_ADDR=address).status_code == 429  # the check was a lookup
    assert client.get(path, REMOTE_ADDR=address, **POLL).status_code == 200  # which found the code again


def test_checks_of_a_found_code_do_not_extend_its_window(owner, clock):
    """A check just before the window ends does not move its end: past it, with the visitor's lookups
    spent, the page's check is refused as a lookup, with Retry-After."""
    statement = building(owner)
    client, path, address = Client(), service.verify_path(statement.code), "203.0.113.26"
    clock(0)
    assert client.get(path, REMOTE_ADDR=address).status_code == 200
    clock(views.FOUND_SECONDS - 60)
    assert client.get(path, REMOTE_ADDR=address, **POLL).status_code == 200
    clock(views.FOUND_SECONDS + 60)
    for _ in range(LOOKUPS):
        assert client.get(new_code_path(), REMOTE_ADDR=address).status_code == 200
    response = client.get(path, REMOTE_ADDR=address, **POLL)
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60
    assert "đang được tạo" not in response.content.decode()


def test_building_again_a_ready_statement_is_not_counted_and_says_it_is_ready(
        ready, owner_client, django_capture_on_commit_callbacks):
    """A ready statement has nothing to build again (a page left open from before the build ended, a
    form sent twice): the request starts nothing, is not counted against the limit of builds started
    again, and the page says the statement is ready."""
    status_path = f"{LIST_URL}{ready.pk}/"
    retries = int(views.RETRY_RATE.split("/")[0])
    for _ in range(retries + 1):
        with django_capture_on_commit_callbacks() as queued:
            response = owner_client.post(status_path, follow=True)
        html = response.content.decode()
        assert response.status_code == 200 and queued == []
        assert "Văn bản đã sẵn sàng nên không cần tạo lại." in html and "quá nhiều lần" not in html
    failed = Statement.objects.create(code=service.code_new(), person=ready.person, requested_by=ready.requested_by,
                                      status=Statement.Status.FAILED)
    for _ in range(retries):  # the limit is whole for builds that are started again
        Statement.objects.filter(pk=failed.pk).update(status=Statement.Status.FAILED)
        with django_capture_on_commit_callbacks() as queued:
            assert owner_client.post(f"{LIST_URL}{failed.pk}/").status_code == 302
        assert len(queued) == 1


def test_building_again_a_statement_being_built_is_not_counted_and_says_it_is_being_built(
        owner, owner_client, django_capture_on_commit_callbacks):
    """A build under way has nothing to start again (the button sent twice, or from a page left open
    while another one started the build again): the request starts nothing, is not counted against
    the limit of builds started again, and the page says the statement is being built."""
    retries = int(views.RETRY_RATE.split("/")[0])
    failed = Statement.objects.create(code=service.code_new(), person=owner.person, requested_by=owner,
                                      status=Statement.Status.FAILED)
    status_path = f"{LIST_URL}{failed.pk}/"
    with django_capture_on_commit_callbacks() as queued:  # the build is started, and not run here
        assert owner_client.post(status_path).status_code == 302
    assert len(queued) == 1
    for _ in range(retries + 1):
        with django_capture_on_commit_callbacks() as queued:
            response = owner_client.post(status_path, follow=True)
        html = response.content.decode()
        assert response.status_code == 200 and queued == []
        assert "Văn bản đang được tạo nên không cần tạo lại." in html and "quá nhiều lần" not in html
    for _ in range(retries - 1):  # the limit less the one build started
        Statement.objects.filter(pk=failed.pk).update(status=Statement.Status.FAILED)
        with django_capture_on_commit_callbacks() as queued:
            assert owner_client.post(status_path).status_code == 302
        assert len(queued) == 1
    Statement.objects.filter(pk=failed.pk).update(status=Statement.Status.FAILED)
    assert owner_client.post(status_path).status_code == 429


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_check_page_waiting_in_a_browser_shows_the_statement_whatever_the_lookups_left(
        page, live_server, reference_data, owner, monkeypatch):  # noqa: F811
    """static/js/poll.js's checks are the waiting page's: a visitor whose page load was their last
    lookup of the minute still sees the statement once it is built, without a reload."""
    monkeypatch.setattr(views, "VERIFY_RATE", "1/m")
    statement = Statement.objects.create(code=service.code_new(), person=owner.person, requested_by=owner)
    page.goto(live_server.url + service.verify_path(statement.code))
    assert "đang được tạo" in page.content()
    service.statement_build(statement_id=statement.pk, verify_base=live_server.url)
    page.get_by_text(VALID).first.wait_for(timeout=15000)  # shown by the page's own check


@pytest.mark.parametrize("sent", ["", "   "])
def test_a_blank_check_is_told_on_its_field_and_spends_no_lookup(sent):
    """"Kiểm tra" pressed with the box empty says so on the field, in the title and to a screen
    reader, as a wrong code is, without spending a lookup of the client's limit."""
    client, address = Client(), "203.0.113.40"
    for _ in range(LOOKUPS + 1):
        response = client.get("/xac-thuc/van-ban/", {"ma": sent}, REMOTE_ADDR=address)
        assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Lỗi: Xác thực văn bản" in html
    error = re.search(r'<span class="error-message" id="([^"]+)">(.*?)</span>\s*<input', html, re.S)
    # says what is missing, not the intro again with another word for the document
    assert error and re.sub(r"<[^>]+>", "", error.group(2)).split() == "Lỗi: Chưa nhập mã xác thực.".split()
    field = re.search(r'<input type="text" id="ma-xac-thuc"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and f"{error.group(1)}" in re.search(r'aria-describedby="([^"]+)"', field)[1]
    # the page with nothing sent is not an error
    plain = client.get("/xac-thuc/van-ban/", REMOTE_ADDR=address).content.decode()
    assert "<title>Lỗi" not in plain and "aria-invalid" not in plain
    # every lookup of the limit is still there
    for _ in range(LOOKUPS):
        assert client.get("/xac-thuc/van-ban/", {"ma": "ABCD-EFGH-JKLM-NPQX"}, REMOTE_ADDR=address).status_code == 200
    assert client.get("/xac-thuc/van-ban/", {"ma": "ABCD-EFGH-JKLM-NPQX"}, REMOTE_ADDR=address).status_code == 429
