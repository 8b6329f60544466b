"""The session ends SESSION_COOKIE_AGE after its login whatever the activity (WCAG 2.2.1): every
signed-in page carries, beside the idle warning, a warning of that end with the seconds left and the
end's local time, in the page's language. Both belong to the session, not to the page: the footer
rendered once per process and the pages stored whole (shared by every login of a user) leave them as
holes filled on every request. The dialog in a real browser: tests/e2e/test_session_timeout.py."""

import datetime
import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.sessions import STARTED
from tests.accounts.test_otp import make_citizen
from tests.conftest import missing

pytestmark = pytest.mark.django_db

ENDS_IN = re.compile(r'<dialog id="cuoi-phien"[^>]*data-ends-in="(\d+)"')


@pytest.fixture
def now(monkeypatch):
    """The clock stands still, so the seconds left are known."""
    fixed = float(int(time.time()))
    monkeypatch.setattr(time, "time", lambda: fixed)
    return fixed


def log_in(user, *, started: float) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[STARTED] = started
    session.save()
    return client


def local_time(moment: float) -> str:
    return timezone.localtime(datetime.datetime.fromtimestamp(moment, tz=datetime.UTC)).strftime("%H:%M")


def visit(client, path) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode(), len(queries)


def test_a_signed_in_page_carries_the_sessions_absolute_end(reference_data, settings, now):
    started = now - 3 * 3600
    client = log_in(make_citizen(), started=started)
    html, _ = visit(client, "/dich-vu-cong/")
    assert int(ENDS_IN.search(html).group(1)) == started + settings.SESSION_COOKIE_AGE - now
    ends_at = local_time(started + settings.SESSION_COOKIE_AGE)
    assert f"Phiên làm việc sẽ kết thúc lúc {ends_at}" in html
    assert f"không thể kéo dài thêm: phiên này sẽ kết thúc lúc {ends_at}" in html
    assert "\ue000" not in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html, _ = visit(client, "/dich-vu-cong/")
    assert f"Your session will end at {ends_at}" in html and "cannot be extended" in html
    assert "cuoi-phien" not in Client().get("/dich-vu-cong/").content.decode()


def test_officers_are_warned_of_the_end_in_the_admin_too(reference_data, settings, now):
    from accounts.roles import DISTRICT_OFFICER
    from tests.accounts.helpers import officer

    started = now - 11 * 3600
    client = log_in(officer("canbo07901", "07901", DISTRICT_OFFICER), started=started)
    html, _ = visit(client, "/quan-tri/accounts/registration/")
    assert int(ENDS_IN.search(html).group(1)) == started + settings.SESSION_COOKIE_AGE - now
    assert f"Phiên làm việc sẽ kết thúc lúc {local_time(started + settings.SESSION_COOKIE_AGE)}" in html


def test_two_logins_of_one_user_each_find_their_own_end_in_the_stored_page(reference_data, settings, now,
                                                                           monkeypatch):
    if connection.vendor != "postgresql":
        missing("pages are stored only on PostgreSQL (DATABASE_URL)")
    from vssid_portal.pagecache import Page

    renders = []
    render = Page.render
    monkeypatch.setattr(Page, "render", lambda page, *args, **kwargs: renders.append(1) or render(page, *args, **kwargs))
    user = make_citizen()
    first_start, second_start = now - 3600, now - 5 * 3600
    first = log_in(user, started=first_start)
    visit(first, "/ca-nhan/")
    html, queries = visit(first, "/ca-nhan/")
    assert queries == 1 and len(renders) == 1  # served stored
    assert int(ENDS_IN.search(html).group(1)) == first_start + settings.SESSION_COOKIE_AGE - now
    assert f"lúc {local_time(first_start + settings.SESSION_COOKIE_AGE)}" in html

    second = log_in(user, started=second_start)  # a new login (which ends the first), the same user
    html, _ = visit(second, "/ca-nhan/")
    assert len(renders) == 1  # the page stored in the first login's visit
    assert int(ENDS_IN.search(html).group(1)) == second_start + settings.SESSION_COOKIE_AGE - now
    assert f"lúc {local_time(second_start + settings.SESSION_COOKIE_AGE)}" in html
    assert f"lúc {local_time(first_start + settings.SESSION_COOKIE_AGE)}" not in html
