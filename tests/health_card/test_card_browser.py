"""Chromium: clinic staff paste a scanned payload into the verify field (as a handheld scanner
types it, Enter) and see "valid", then a tampered one and see "forged"; the holder's card, QR and
access-log pages. axe-core finds nothing on any page, desktop or phone; no console or CSP error."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from health_card.qr import Purpose
from health_card.services import card_qr

from .card_fixtures import *  # noqa: F401,F403

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])


def accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        results = Axe().run(page)
        assert results.violations_count == 0, f"{page.url} (phone)\n{results.generate_report()}"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{page.url} scrolls sideways"
    finally:
        page.set_viewport_size(desktop)


def test_clinic_staff_verify_a_scanned_then_a_tampered_payload(page, live_server, card, clinic_user):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    login(page, live_server, clinic_user)
    page.goto(live_server.url + "/xac-thuc/the-bhyt/")
    accessible(page)
    field = page.get_by_label("Chuỗi mã QR trên thẻ")
    assert page.evaluate("document.activeElement.name") == "ma_qr"  # focused for the scanner
    payload = card_qr(card, purpose=Purpose.SCREEN)
    field.fill(payload)
    field.press("Enter")
    page.wait_for_load_state()
    result = page.get_by_role("status").filter(has_text="Thẻ hợp lệ")
    assert result.is_visible() and "NGUYỄN VĂN ĐỨC" in result.inner_text()
    accessible(page)
    tampered = payload.replace("|01/01/2024|", "|01/01/2023|")
    page.get_by_label("Chuỗi mã QR trên thẻ").fill(tampered)
    page.get_by_label("Chuỗi mã QR trên thẻ").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("status").filter(has_text="Mã QR giả mạo").is_visible()
    assert "NGUYỄN VĂN ĐỨC" not in page.content()
    accessible(page)
    assert errors == []


def test_holder_pages_and_the_public_verify_page(page, live_server, holder, card):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + "/xac-thuc/the-bhyt/")
    accessible(page)
    login(page, live_server, holder)
    page.goto(live_server.url + "/the-bhyt/")
    assert page.locator("h1").inner_text() == "Thẻ BHYT"
    accessible(page)
    page.get_by_role("link", name="Mã QR").click()
    page.wait_for_url("**/the-bhyt/ma-qr/")
    assert page.locator("img.bhyt-qr__image").evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.get_by_text("Mã QR tự làm mới mỗi phút").is_visible()  # the refresh script runs under the CSP
    accessible(page)
    page.goto(live_server.url + "/the-bhyt/ai-da-xem/")
    accessible(page)
    assert errors == []
