"""Before the idle timeout ends a session, the signed-in pages warn and offer to continue (WCAG
2.2.1): the footer carries the dialog and its script for signed-in visitors only, and "continue"
posts to the keep-alive address, which stamps the activity at once (POST only, CSRF-checked,
signed-in only, a safe `next` only). The dialog in a real browser: tests/e2e/test_session_timeout.py."""

import time

import pytest
from django.test import Client

from accounts.sessions import SEEN
from tests.accounts.test_otp import make_citizen

pytestmark = pytest.mark.django_db

KEEPALIVE = "/tai-khoan/phien/tiep-tuc/"


@pytest.fixture
def signed_in(reference_data):
    client = Client()
    client.force_login(make_citizen())
    return client


def test_continuing_stamps_the_activity_now(signed_in):
    session = signed_in.session
    session[SEEN] = time.time() - 25 * 60
    session.save()
    response = signed_in.post(KEEPALIVE, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 204
    assert time.time() - signed_in.session[SEEN] < 5


def test_without_the_script_it_returns_to_the_page_or_the_personal_pages(signed_in):
    assert signed_in.post(KEEPALIVE, {"next": "/dich-vu-cong/"})["Location"] == "/dich-vu-cong/"
    assert signed_in.post(KEEPALIVE, {"next": "https://evil.example/"})["Location"] == "/ca-nhan/"


def test_only_a_signed_in_post_with_its_csrf_token_counts(signed_in, reference_data):
    assert signed_in.get(KEEPALIVE).status_code == 405
    assert Client().post(KEEPALIVE)["Location"].startswith("/tai-khoan/dang-nhap/")
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = signed_in.cookies
    assert strict.post(KEEPALIVE, HTTP_X_REQUESTED_WITH="fetch").status_code == 403


def test_an_ended_session_is_not_revived(signed_in):
    session = signed_in.session
    session[SEEN] = time.time() - 31 * 60
    session.save()
    response = signed_in.post(KEEPALIVE, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")
    assert "_auth_user_id" not in signed_in.session


def test_the_warning_is_on_signed_in_pages_only(signed_in, settings):
    html = signed_in.get("/dich-vu-cong/").content.decode()
    assert '<dialog id="het-phien"' in html and 'data-idle="1800"' in html and "js/session-timeout" in html
    assert "sau 30 phút không thao tác" in html
    assert f'action="{KEEPALIVE}"' in html and 'name="next" type="hidden" value="/dich-vu-cong/"' in html
    anonymous = Client().get("/dich-vu-cong/").content.decode()
    assert "het-phien" not in anonymous and "session-timeout" not in anonymous


def test_officers_are_warned_in_the_admin_too(reference_data):
    from accounts.roles import DISTRICT_OFFICER
    from tests.accounts.helpers import officer

    client = Client()
    assert "het-phien" not in client.get("/quan-tri/login/").content.decode()
    client.force_login(officer("canbo07901", "07901", DISTRICT_OFFICER))
    html = client.get("/quan-tri/accounts/registration/?status=pending").content.decode()
    assert '<dialog id="het-phien"' in html and 'data-idle="1800"' in html and "js/session-timeout" in html
    assert "css/admin.css" in html
    # Without the script, "continue" comes back to the officer's list.
    assert 'name="next" type="hidden" value="/quan-tri/accounts/registration/?status=pending"' in html
    assert client.post(KEEPALIVE, HTTP_X_REQUESTED_WITH="fetch").status_code == 204
    assert client.post(KEEPALIVE, {"next": "/quan-tri/accounts/registration/"})["Location"] == "/quan-tri/accounts/registration/"
