"""In Chromium: a few minutes before the idle timeout (here shortened so the warning comes two
seconds after the page loads) the dialog opens with the focus on "continue", passes axe, and
continuing — by the button or by Esc — closes it and stamps the session's activity on the server."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client

from accounts.sessions import SEEN
from tests.accounts.test_otp import make_citizen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Warned at idle − precision (60 s) − lead (180 s): two seconds after the page loads.
IDLE = 242


@pytest.fixture
def signed_in_page(page, live_server, reference_data, settings):
    settings.SESSION_IDLE_TIMEOUT = IDLE
    client = Client()
    client.force_login(make_citizen())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": live_server.url}])
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.session_key = key
    return page


def seen(page) -> float:
    return SessionStore(page.session_key).load()[SEEN]


def test_the_warning_opens_in_time_and_continuing_keeps_the_session(signed_in_page, live_server):
    page = signed_in_page
    page.goto(f"{live_server.url}/dich-vu-cong/")
    dialog = page.locator("#het-phien")
    assert not dialog.is_visible()
    dialog.wait_for(state="visible", timeout=10_000)
    assert page.evaluate("document.activeElement.textContent") == "Tiếp tục phiên làm việc"
    assert page.get_by_role("dialog", name="Phiên làm việc sắp kết thúc").is_visible()
    assert Axe().run(page).violations_count == 0

    before = seen(page)
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    assert seen(page) > before
    assert page.url == f"{live_server.url}/dich-vu-cong/"  # the page and what was typed stay

    # The warning comes again two seconds later; Esc continues too.
    dialog.wait_for(state="visible", timeout=10_000)
    before = seen(page)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert seen(page) > before
    assert page.console_errors == []



def test_officers_are_warned_in_the_admin(page, live_server, reference_data, settings):
    from accounts.roles import DISTRICT_OFFICER
    from tests.accounts.helpers import officer

    settings.SESSION_IDLE_TIMEOUT = IDLE
    client = Client()
    client.force_login(officer("canbo07901", "07901", DISTRICT_OFFICER))
    page.session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": page.session_key, "url": live_server.url}])
    page.goto(f"{live_server.url}/quan-tri/accounts/registration/")
    dialog = page.locator("#het-phien")
    dialog.wait_for(state="visible", timeout=10_000)
    assert page.evaluate("document.activeElement.textContent") == "Tiếp tục phiên làm việc"
    assert Axe().run(page, context="#het-phien").violations_count == 0
    before = seen(page)
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    assert seen(page) > before
    assert page.url == f"{live_server.url}/quan-tri/accounts/registration/"


def test_continuing_after_the_session_ended_elsewhere_goes_to_the_login_page_from_the_skip_link_too(
        signed_in_page, live_server):
    """The address may end in "#noi-dung" (the skip link, templates/base.html): the page is still
    loaded anew, and the portal leads to the login page saying why, instead of only moving within it."""
    from allauth.usersessions.models import UserSession

    from accounts.adapter import UserSessionsAdapter

    page = signed_in_page
    page.goto(f"{live_server.url}/ca-nhan/#noi-dung")  # a page for the signed-in only
    dialog = page.locator("#het-phien")
    dialog.wait_for(state="visible", timeout=10_000)
    UserSessionsAdapter().end_sessions([UserSession.objects.get(session_key=page.session_key)],
                                      reason="logged_in_elsewhere")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tai-khoan/dang-nhap/**", timeout=15_000)
    page.get_by_text("Tài khoản của bạn vừa được đăng nhập trên thiết bị khác").wait_for(timeout=5_000)


def test_the_sessions_absolute_end_is_told_five_minutes_before_and_the_warning_closes(
        signed_in_page, live_server, settings):
    """The session ends SESSION_COOKIE_AGE after its login whatever the activity: here it ends six
    minutes after the page loads (its login moved back), on the page's fake clock. The warning comes
    five minutes before that end, names its time, takes the focus and gives it back when closed; it
    is not shown again by the next page of the same session, while the idle warning still comes."""
    import datetime
    import time

    from django.utils import timezone

    from accounts.sessions import STARTED

    page = signed_in_page
    store = SessionStore(page.session_key)
    started = time.time() - settings.SESSION_COOKIE_AGE + 6 * 60
    store[STARTED] = started
    store.save()
    ends_at = timezone.localtime(datetime.datetime.fromtimestamp(started + settings.SESSION_COOKIE_AGE,
                                                                 tz=datetime.UTC)).strftime("%H:%M")
    page.clock.install()
    page.goto(f"{live_server.url}/dich-vu-cong/")
    warning = page.locator("#cuoi-phien")
    link = page.locator("main a").first
    link.focus()

    page.clock.run_for(50_000)  # more than five minutes before the end
    assert not warning.is_visible()
    page.clock.run_for(15_000)
    warning.wait_for(state="visible", timeout=5_000)
    assert page.get_by_role("dialog", name=f"Phiên làm việc sẽ kết thúc lúc {ends_at}").is_visible()
    assert f"không thể kéo dài thêm: phiên này sẽ kết thúc lúc {ends_at}" in warning.inner_text()
    assert page.evaluate("document.activeElement.textContent") == "Đóng"
    assert Axe().run(page, context="#cuoi-phien").violations_count == 0
    page.keyboard.press("Escape")
    warning.wait_for(state="hidden")
    assert link.evaluate("element => element === document.activeElement")

    # Another page of the session is not warned again of the same end (the server's clock, unlike the
    # page's, has not moved: the end is again about six minutes away); the button closes it too.
    page.goto(f"{live_server.url}/dich-vu-cong/")
    page.clock.run_for(65_000)
    assert not warning.is_visible()
    page.evaluate("window.localStorage.removeItem('vssid-end-warned')")
    page.reload()
    page.clock.run_for(65_000)
    warning.wait_for(state="visible", timeout=5_000)
    page.get_by_role("button", name="Đóng").click()
    warning.wait_for(state="hidden")
    assert page.console_errors == []


def test_the_idle_warning_still_comes_beside_the_warning_of_the_end(signed_in_page, live_server, settings):
    """With the absolute end far off, the idle warning comes as before and the end's stays hidden."""
    page = signed_in_page
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    page.clock.install()
    page.goto(f"{live_server.url}/dich-vu-cong/")
    page.clock.run_for((30 * 60 - 60 - 180 + 1) * 1000)
    page.locator("#het-phien").wait_for(state="visible", timeout=5_000)
    assert not page.locator("#cuoi-phien").is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Tiếp tục phiên làm việc"


def test_an_end_before_the_idle_one_leaves_out_the_idle_warning(signed_in_page, live_server, settings):
    """Once the absolute end comes before the idle one, "continue" could not go past it: the warning
    of the end is shown, the idle warning (due two seconds after the page loads) is not."""
    import time

    from accounts.sessions import STARTED

    page = signed_in_page
    store = SessionStore(page.session_key)
    store[STARTED] = time.time() - settings.SESSION_COOKIE_AGE + IDLE - 40
    store.save()
    page.clock.install()
    page.goto(f"{live_server.url}/dich-vu-cong/")
    page.clock.run_for(10_000)
    page.locator("#cuoi-phien").wait_for(state="visible", timeout=5_000)
    assert not page.locator("#het-phien").is_visible()


def test_at_the_sessions_absolute_end_the_page_leads_to_the_login_page_saying_why(signed_in_page, live_server,
                                                                                   settings):
    """When the end the warning named comes, the page is loaded anew, as at the idle timeout: the portal
    leads to the login page saying the session lasted its hours, instead of leaving the page open until
    its next click. Here the end is six minutes after the page loads (its login moved back), on the page's
    fake clock; the server's, which the fake one does not move, is told the login happened those six
    minutes earlier still once the page is open."""
    import time

    from accounts.sessions import STARTED, time_out_message

    page = signed_in_page
    settings.SESSION_IDLE_TIMEOUT = 30 * 60  # the idle warning far off: the end comes first
    store = SessionStore(page.session_key)
    store[STARTED] = time.time() - settings.SESSION_COOKIE_AGE + 6 * 60
    store.save()
    page.clock.install()
    page.goto(f"{live_server.url}/ca-nhan/")
    store = SessionStore(page.session_key)
    store[STARTED] = time.time() - settings.SESSION_COOKIE_AGE - 1  # now ended on the server
    store.save()

    page.clock.run_for((6 * 60 - 10) * 1000)  # the warning, not yet the end
    page.locator("#cuoi-phien").wait_for(state="visible", timeout=5_000)
    assert page.url == f"{live_server.url}/ca-nhan/"
    page.clock.run_for(15_000)
    page.wait_for_url("**/tai-khoan/dang-nhap/**", timeout=15_000)
    page.get_by_text(time_out_message("too_long")).wait_for(timeout=5_000)
    assert page.console_errors == []
