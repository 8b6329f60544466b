"""Chromium: clinic staff paste a scanned payload into the verify field (as a handheld scanner
types it, Enter) and see "valid", then a tampered one and see "forged"; the holder's card, QR and
access-log pages. axe-core finds nothing on any page, desktop or phone; no console or CSP error.
The camera scanner tells its progress in the page's language (its words come from the page)."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from health_card.qr import Purpose
from health_card.services import card_qr
from tests.e2e.screens import accessible

from .card_fixtures import *  # noqa: F401,F403

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])


def test_clinic_staff_verify_a_scanned_then_a_tampered_payload(page, live_server, card, clinic_user):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    login(page, live_server, clinic_user)
    page.goto(live_server.url + "/xac-thuc/the-bhyt/")
    accessible(page)
    field = page.get_by_label("Chuỗi mã QR trên thẻ")
    assert page.evaluate("document.activeElement.name") == "ma_qr"  # focused for the scanner
    # each form's button is told apart by its accessible name, as a screen reader lists them
    expect(page.get_by_role("button", name="Xác thực mã QR", exact=True)).to_have_count(1)
    expect(page.get_by_role("button", name="Xác thực thông tin thẻ", exact=True)).to_have_count(1)
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


def test_the_verdict_takes_the_focus_and_the_next_scan_still_lands_in_the_scan_field(page, live_server, card,
                                                                                        clinic_user):
    login(page, live_server, clinic_user)
    page.goto(live_server.url + "/xac-thuc/the-bhyt/")
    assert page.evaluate("document.activeElement.name") == "ma_qr"  # first visit: ready for the scanner
    page.get_by_label("Mã thẻ BHYT").fill("7901234567")
    page.get_by_label("Họ và tên").fill("Nguyễn Văn Tài")
    page.get_by_label("Ngày sinh").fill("15/03/1988")
    page.get_by_label("Ngày sinh").press("Enter")
    page.wait_for_load_state()
    verdict = page.locator("#ket-qua")
    expect(verdict).to_be_focused()
    expect(verdict).to_contain_text("Sai họ tên")
    payload = card_qr(card, purpose=Purpose.SCREEN)
    page.keyboard.type(payload)  # a handheld scanner types the next QR, then Enter
    assert page.get_by_label("Chuỗi mã QR trên thẻ").input_value() == payload
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(verdict).to_be_focused()
    expect(verdict).to_contain_text("Thẻ hợp lệ")
    accessible(page)


def test_without_javascript_the_verdict_or_the_error_summary_comes_first(browser, live_server, card, clinic_user):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, live_server, clinic_user)
    page.goto(live_server.url + "/xac-thuc/the-bhyt/")
    assert page.evaluate("document.activeElement.name") == "ma_qr"
    page.get_by_label("Chuỗi mã QR trên thẻ").fill(card_qr(card, purpose=Purpose.SCREEN))
    page.get_by_label("Chuỗi mã QR trên thẻ").press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#ket-qua")).to_be_focused()
    page.get_by_label("Mã thẻ BHYT").fill("12")  # a card number too short: an error
    page.get_by_label("Họ và tên").fill("Nguyễn Văn Đức")
    page.get_by_label("Ngày sinh").fill("15/03/1988")
    page.get_by_label("Ngày sinh").press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.evaluate("document.activeElement === document.body")  # the summary is the first thing read
    context.close()


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


# A camera for the scanner without a device: a canvas's stream, or a refusal after half a second.
FAKE_CAMERA = """navigator.mediaDevices.getUserMedia = () => {
  const canvas = document.createElement("canvas"); canvas.width = 64; canvas.height = 64;
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  return Promise.resolve(canvas.captureStream());
};"""
NO_CAMERA = """navigator.mediaDevices.getUserMedia = () =>
  new Promise((resolve, reject) => setTimeout(() => reject(new Error("NotAllowedError")), 500));"""


def test_one_camera_button_shows_at_a_time_and_the_focus_moves_to_it(page, live_server, clinic_user):
    login(page, live_server, clinic_user)
    page.add_init_script(FAKE_CAMERA)
    page.goto(live_server.url + "/xac-thuc/the-bhyt/")
    start, stop = page.locator("[data-camera-start]"), page.locator("[data-camera-stop]")
    expect(start).to_be_visible()
    expect(stop).to_be_hidden()
    start.focus()
    page.keyboard.press("Enter")
    expect(stop).to_be_visible()
    expect(stop).to_be_focused()
    expect(start).to_be_hidden()
    page.keyboard.press("Enter")
    expect(start).to_be_visible()
    expect(start).to_be_focused()
    expect(stop).to_be_hidden()


@pytest.mark.parametrize(("language", "opening", "aim", "stopped", "failed"), [
    ("vi", "Đang mở camera…", "Đưa mã QR vào khung hình.", "Đã dừng camera.", "Không mở được camera. Hãy cho phép"),
    ("en", "Opening the camera…", "Hold the QR code inside the frame.", "Camera stopped.",
     "The camera could not be opened. Allow"),
])
def test_the_camera_scanner_speaks_the_pages_language(page, live_server, clinic_user, language, opening, aim, stopped,
                                                       failed):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    login(page, live_server, clinic_user)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    status = page.locator("[data-camera-status]")
    page.add_init_script(FAKE_CAMERA)
    page.goto(live_server.url + "/xac-thuc/the-bhyt/")
    page.locator("[data-camera-start]").click()
    expect(status).to_have_text(aim)
    expect(page.locator("[data-camera-video]")).to_be_visible()
    page.locator("[data-camera-stop]").click()
    expect(status).to_have_text(stopped)
    expect(page.locator("[data-camera-start]")).to_be_focused()
    refused = page.context.new_page()
    refused.on("console", lambda message: message.type == "error" and errors.append(message.text))
    refused.add_init_script(NO_CAMERA)
    refused.goto(live_server.url + "/xac-thuc/the-bhyt/")
    refused.locator("[data-camera-start]").click()
    status = refused.locator("[data-camera-status]")
    expect(status).to_have_text(opening)
    expect(status).to_contain_text(failed)
    expect(refused.locator("[data-camera-video]")).to_be_hidden()
    refused.close()
    assert errors == []
