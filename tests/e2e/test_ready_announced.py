"""A page waiting for its PDF (static/js/poll.js) shows the document once it is built, in Chromium:
the new content takes the place of the old without a reload, and what it says ("Văn bản đã sẵn
sàng.") goes into a status region that was on the page from the start, which a screen reader
announces (one that comes with a reloaded page is not). The focus stays where it was. Without
JavaScript the page still offers its reload link."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from participation.models import Statement
from participation.services import statements as service
from tests.public_services.helpers import citizen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARK_LIVE_REGIONS = "document.querySelectorAll('[role=status]').forEach(region => region.dataset.sinceLoad = 'yes')"


@pytest.fixture
def statement(reference_data):
    user = citizen()
    return Statement.objects.create(code=service.code_new(), person=user.person, requested_by=user)


def open_as_owner(browser, live_server, statement, javascript=True):
    context = browser.new_context(java_script_enabled=javascript)
    client = Client()
    client.force_login(statement.requested_by)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.goto(f"{live_server.url}/qua-trinh-tham-gia/xac-nhan/{statement.pk}/")
    return page


def test_the_ready_statement_is_announced_by_a_status_region_present_since_the_page_loaded(browser, live_server,
                                                                                          statement):
    page = open_as_owner(browser, live_server, statement)
    assert page.get_by_text("Văn bản đang được tạo.").is_visible()
    page.evaluate(MARK_LIVE_REGIONS)
    page.evaluate("window.sameDocument = true")
    link = page.get_by_role("link", name="Các bản xác nhận đã yêu cầu")
    link.focus()

    service.statement_build(statement_id=statement.pk, verify_base=live_server.url)
    announced = page.locator("[role=status][data-since-load]").filter(has_text="Văn bản đã sẵn sàng.")
    announced.wait_for(state="attached", timeout=20_000)
    assert page.evaluate("window.sameDocument === true")  # shown in place, not reloaded
    assert page.get_by_role("link", name="Tải bản xác nhận (PDF)").is_visible()
    assert page.get_by_text("Văn bản đang được tạo.").count() == 0
    assert page.evaluate("document.activeElement.textContent") == "Các bản xác nhận đã yêu cầu"  # focus kept
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.console_errors == []
    page.context.close()


def test_without_javascript_the_waiting_page_offers_its_reload_link(browser, live_server, statement):
    page = open_as_owner(browser, live_server, statement, javascript=False)
    assert page.get_by_role("link", name="Tải lại để xem trạng thái mới").is_visible()
    service.statement_build(statement_id=statement.pk, verify_base=live_server.url)
    page.get_by_role("link", name="Tải lại để xem trạng thái mới").click()
    page.get_by_role("link", name="Tải bản xác nhận (PDF)").wait_for()
    page.context.close()


def test_a_session_ended_while_waiting_leads_to_the_login_page(browser, live_server, statement):
    """The poll is answered by a redirect to the login once the session is gone (a login elsewhere,
    the time limits): the page goes there instead of showing the login page's content in place."""
    from django.contrib.sessions.backends.cached_db import SessionStore

    page = open_as_owner(browser, live_server, statement)
    key = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == settings.SESSION_COOKIE_NAME)
    SessionStore(key).delete()
    page.wait_for_url("**/tai-khoan/dang-nhap/**", timeout=20_000)
    assert page.get_by_role("heading", level=1).count() == 1
    page.context.close()
