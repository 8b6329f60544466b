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
