"""Sessions without a login that hold what a visitor typed or may open (the registration's draft
and photos, the registrations it filed or looked up, a password reset under way): they end after
SESSION_IDLE_TIMEOUT without a request and do not outlive the browser, as a logged-in session
does, so the next person at a shared computer finds none of it. The feedbacks a browser sent are
in tests/public_services/test_feedback.py."""

import pytest
from django.conf import settings
from django.test import Client

from tests.accounts import test_otp
from tests.accounts.helpers import reset_request
from tests.accounts.test_login import is_logged_in, log_in
from tests.accounts.test_otp import make_citizen

from .helpers import declaration_data, jpeg, make_person, register

pytestmark = pytest.mark.usefixtures("reference_data")

# The shared fixtures; pytest finds them as attributes of this module.
clock, fresh_cache = test_otp.clock, test_otp.fresh_cache

IDLE = settings.SESSION_IDLE_TIMEOUT
LEFT = {"just before the idle time-out": IDLE - 1, "past the idle time-out": IDLE + 1}
RESET, RESET_CODE = "/tai-khoan/quen-mat-khau/", "/tai-khoan/quen-mat-khau/xac-thuc/"


@pytest.fixture
def person(db, reference_data):
    return make_person()


@pytest.mark.parametrize("left", LEFT)
def test_the_registration_draft_is_gone_after_the_idle_time(client, person, clock, left):
    assert client.post("/dang-ky/", declaration_data()).status_code == 302
    clock.advance(LEFT[left])
    html = client.get("/dang-ky/").content.decode()
    kept = ['value="079088012345"', 'value="12 Lê Lợi"', 'value="duc@example.vn"', 'value="7901234567"']
    assert [value in html for value in kept] == [left == "just before the idle time-out"] * len(kept)


def test_a_scripts_own_requests_do_not_keep_the_registration_draft(client, person, clock):
    """A request a page's script makes by itself on a timer (accounts.middleware.is_background) is no
    visitor at the page: the draft still goes at the idle time-out."""
    from accounts.middleware import BACKGROUND_HEADER_VALUE

    assert client.post("/dang-ky/", declaration_data()).status_code == 302
    for _ in range(IDLE // 60 - 1):
        clock.advance(60)
        client.get("/dang-ky/", HTTP_X_REQUESTED_WITH=BACKGROUND_HEADER_VALUE)
    clock.advance(61)
    assert 'value="079088012345"' not in client.get("/dang-ky/").content.decode()


@pytest.mark.parametrize("left", LEFT)
def test_the_photos_are_gone_after_the_idle_time(client, person, clock, left):
    client.post("/dang-ky/", declaration_data())
    client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    clock.advance(LEFT[left])
    response = client.get("/dang-ky/anh/")
    if left == "just before the idle time-out":
        assert response.status_code == 200 and response.content.decode().count("<img src=") == 3
    else:
        assert response.status_code == 302 and response["Location"] == "/dang-ky/"


@pytest.mark.parametrize("left", LEFT)
def test_the_registration_status_is_gone_after_the_idle_time(client, person, clock, left):
    link = register(client)["Location"]
    clock.advance(LEFT[left])
    response = client.get(link)
    if left == "just before the idle time-out":
        assert response.status_code == 200 and "Chờ duyệt" in response.content.decode()
    else:
        assert response.status_code == 302 and response["Location"] == "/dang-ky/tra-cuu/"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("left", LEFT)
def test_the_password_reset_under_way_is_gone_after_the_idle_time(client, sms_outbox, clock, left):
    make_citizen()
    assert client.post(RESET, reset_request("7901234567"))["Location"] == RESET_CODE
    clock.advance(LEFT[left])
    response = client.get(RESET_CODE)
    if left == "just before the idle time-out":
        assert response.status_code == 200 and "7901234567" in response.content.decode()
    else:
        assert response.status_code == 302 and response["Location"] == RESET


@pytest.mark.parametrize("start", ["registration", "registration status", "password reset"])
def test_a_session_holding_a_visitors_data_ends_with_the_browser(client, person, sms_outbox, start):
    """Its cookie is the browser's session cookie, as a logged-in one's is (ACCOUNT_SESSION_REMEMBER
    off): gone when the browser closes, not kept for 12 hours."""
    if start == "registration":
        client.post("/dang-ky/", declaration_data())
    elif start == "registration status":
        register(client)
    else:
        client.post(RESET, reset_request("7901234567"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and cookie["max-age"] == "" and cookie["expires"] == ""


@pytest.mark.django_db(transaction=True)
def test_a_login_after_a_draft_starts_its_own_clock(client, sms_outbox, clock):
    make_citizen()
    client.post("/dang-ky/", declaration_data())
    clock.advance(IDLE - 60)
    log_in(client, sms_outbox)
    clock.advance(IDLE - 60)  # past the idle time since the draft, not since the login
    assert is_logged_in(client)


@pytest.mark.django_db(transaction=True)
def test_a_login_in_a_browser_whose_draft_has_timed_out_goes_through(sms_outbox, clock):
    make_citizen()
    browser = Client()
    browser.post("/dang-ky/", declaration_data())
    clock.advance(IDLE + 1)
    log_in(browser, sms_outbox)
    assert is_logged_in(browser)
