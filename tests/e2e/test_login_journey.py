"""Journey: a citizen's first login in Chromium — password, the code from the SMS, the forced
password change, the personal area — then a login on a second browser, after which the first
browser's next request lands on the login page with the reason. axe-core on every page.
Messages go through a real Celery worker where Redis and PostgreSQL are at hand (always in CI)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.accounts import test_otp
from tests.accounts.test_otp import codes_sent, make_citizen
from tests.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The shared fixtures; pytest finds them as attributes of this module.
fresh_cache = test_otp.fresh_cache

TEMPORARY = "Tam-thoi-2026-xyz"
CHOSEN = "một câu dài dễ nhớ về con mèo"


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def submit_password(page, live_server, password, sms_outbox):
    """Password step; returns how many codes had been sent before it."""
    sent_before = len(codes_sent(sms_outbox))
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    assert_accessible(page)
    page.get_by_label("Mã số BHXH hoặc tên đăng nhập").fill("7901234567")
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/tai-khoan/dang-nhap/xac-nhan/")
    assert "Đã gửi mã xác thực tới số điện thoại có đuôi 678." in page.content()
    assert_accessible(page)
    return sent_before


def newest_code(sms_outbox, sent_before):
    """The code sent after `sent_before` codes, once the worker has delivered it."""
    return wait_for(lambda: codes_sent(sms_outbox)[sent_before:])[-1]


def enter_code(page, sms_outbox, sent_before):
    page.get_by_label("Mã xác thực").fill(newest_code(sms_outbox, sent_before))
    page.get_by_role("button", name="Xác nhận và đăng nhập").click()


def test_first_login_then_a_second_device_ends_the_first_session(page, live_server, browser, sms_outbox, task_worker):
    make_citizen(password=TEMPORARY, must_change_password=True)

    sent = submit_password(page, live_server, TEMPORARY, sms_outbox)
    enter_code(page, sms_outbox, sent)
    page.wait_for_url("**/tai-khoan/dat-mat-khau-moi/**")
    assert page.locator("h1").inner_text() == "Đặt mật khẩu mới"
    assert_accessible(page)
    page.get_by_label("Mật khẩu mới", exact=True).fill(CHOSEN)
    page.get_by_label("Nhập lại mật khẩu mới").fill(CHOSEN)
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    page.wait_for_url("**/ca-nhan/")
    assert "Mật khẩu của bạn đã được thay đổi." in page.content()
    assert "Nguyễn Văn Đức" in page.content()
    assert_accessible(page)

    context = browser.new_context()
    second = context.new_page()
    sent = submit_password(second, live_server, CHOSEN, sms_outbox)
    assert "Tài khoản đang đăng nhập trên thiết bị khác" in second.content()
    enter_code(second, sms_outbox, sent)
    second.wait_for_url("**/ca-nhan/")
    assert_accessible(second)
    context.close()

    page.reload()
    page.wait_for_url("**/tai-khoan/dang-nhap/?next=/ca-nhan/")
    assert "Tài khoản của bạn vừa được đăng nhập trên thiết bị khác" in page.content()
    assert_accessible(page)


def test_security_and_password_pages_have_no_axe_violations(page, live_server, browser, sms_outbox, task_worker):
    make_citizen(password=CHOSEN)
    sent = submit_password(page, live_server, CHOSEN, sms_outbox)
    enter_code(page, sms_outbox, sent)
    page.wait_for_url("**/ca-nhan/")

    page.goto(live_server.url + "/tai-khoan/bao-mat/")
    assert "Trình duyệt này là thiết bị tin cậy" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Đăng xuất khỏi mọi thiết bị khác").click()
    page.wait_for_url("**/tai-khoan/bao-mat/")
    assert_accessible(page)

    page.goto(live_server.url + "/tai-khoan/doi-mat-khau/")
    assert_accessible(page)
    page.get_by_label("Mật khẩu hiện tại").fill("sai")
    page.get_by_role("button", name="Tiếp tục").click()
    assert_accessible(page)  # with the error summary
    page.get_by_label("Mật khẩu hiện tại").fill(CHOSEN)
    page.get_by_label("Mật khẩu mới", exact=True).fill(TEMPORARY)
    page.get_by_label("Nhập lại mật khẩu mới").fill(TEMPORARY)
    sent = len(codes_sent(sms_outbox))
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/tai-khoan/doi-mat-khau/xac-nhan/")
    assert_accessible(page)
    page.get_by_label("Mã xác thực").fill(newest_code(sms_outbox, sent))
    page.get_by_role("button", name="Đổi mật khẩu").click()
    page.wait_for_url("**/tai-khoan/bao-mat/")
    assert "Mật khẩu của bạn đã được thay đổi." in page.content()

    page.goto(live_server.url + "/tai-khoan/dang-xuat/")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name="Đăng xuất").click()

    page.goto(live_server.url + "/tai-khoan/quen-mat-khau/")
    assert_accessible(page)
    page.get_by_label("Mã số BHXH").fill("7901234567")
    page.locator("[data-pow-token][data-solved]").wait_for(state="attached", timeout=30_000)  # the challenge
    assert page.locator(".challenge__question").is_hidden()  # solved by the browser: no question to answer
    sent = len(codes_sent(sms_outbox))
    page.get_by_role("button", name="Gửi mã xác thực").click()
    page.wait_for_url("**/tai-khoan/quen-mat-khau/xac-thuc/")
    assert_accessible(page)
    page.get_by_label("Mã xác thực").fill(newest_code(sms_outbox, sent))
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/tai-khoan/quen-mat-khau/mat-khau-moi/")
    assert_accessible(page)
