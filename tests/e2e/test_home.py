"""The home page in a real Chromium: no accessibility violations (axe-core), no CSP breakage."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_has_no_axe_violations(page, live_server):
    csp_errors = []
    page.on("console", lambda message: message.type == "error" and csp_errors.append(message.text))
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert page.title() == "Trang chủ – Cổng dịch vụ BHXH số"
    assert page.locator("h1").inner_text() == "Bảo hiểm xã hội số"
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert csp_errors == []


def test_skip_link_and_menu_work_from_the_keyboard(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith("#noi-dung")
    page.get_by_role("link", name="Tra cứu", exact=True).first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/tra-cuu/")
    assert page.locator("h1").inner_text() == "Tra cứu"


def test_phone_sized_screen_has_no_horizontal_scroll(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
