"""Journey (a): a citizen registers with three photos, a district officer approves in the admin,
the SMS carries the temporary password, the first login asks for the SMS code and a new
password, and ends in the personal area. axe-core on every page. The SMS, e-mail and PDF go
through a real Celery worker where Redis and PostgreSQL are at hand (always in CI)."""

import io
import json
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from PIL import Image

from accounts.models import Registration, User
from tests.accounts.helpers import make_person, officer
from tests.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo(name, color):
    out = io.BytesIO()
    Image.new("RGB", (320, 200), color).save(out, "JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": out.getvalue()}


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sms_texts():
    path = Path(settings.SMS_FILE_PATH) / "sms.jsonl"
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def fill_declaration(page):
    """Step 1 as the demo citizen (make_person), all but the phone number."""
    page.get_by_label("Mã số BHXH").fill("7901234567")
    page.get_by_label("Họ và tên").fill("Nguyễn Văn Đức")
    page.get_by_label("Số giấy tờ").fill("079088012345")
    page.get_by_label("Ngày sinh").fill("15/03/1988")
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hồ Chí Minh")
    refresh = page.get_by_role("button", name="Cập nhật danh sách phường/xã")
    if refresh.is_visible():  # without JavaScript; with it the list follows the province by itself
        refresh.click()
    page.get_by_label("Phường/xã").select_option(label="Phường Sài Gòn")  # waits for the option
    page.get_by_label("Số nhà, đường/thôn/xóm").fill("12 Lê Lợi")


def test_register_and_get_approved(page, live_server, reference_data, browser, task_worker):
    make_person()
    page.goto(live_server.url + "/dang-ky/")
    assert_accessible(page)
    fill_declaration(page)
    page.get_by_label("Số điện thoại di động").fill("0987654321")
    page.get_by_role("button", name="Tiếp tục").click()

    page.wait_for_url("**/dang-ky/anh/")
    assert_accessible(page)
    page.get_by_label("Ảnh chân dung").set_input_files(photo("chan-dung.jpg", (200, 170, 150)))
    page.get_by_label("Ảnh mặt trước giấy tờ").set_input_files(photo("truoc.jpg", (40, 90, 200)))
    page.get_by_label("Ảnh mặt sau giấy tờ").set_input_files(photo("sau.jpg", (40, 160, 90)))
    page.get_by_role("button", name="Tiếp tục").click()

    page.wait_for_url("**/dang-ky/co-quan/")
    assert_accessible(page)
    page.get_by_label("Tìm cơ quan BHXH theo tên, mã hoặc địa chỉ").fill("quan 1")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_label("[07901] BHXH Quận 1").check()
    page.get_by_role("button", name="Gửi đăng ký").click()

    page.wait_for_url("**/dang-ky/ho-so/**")
    registration = Registration.objects.get()
    assert registration.reference in page.content()
    assert "Chờ duyệt" in page.content()
    assert_accessible(page)

    # The district officer approves in the admin. (Their own login, with its e-mailed code, is
    # covered by tests/accounts/test_login.py; here the session comes from Django's test client.)
    staff = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    staff_client = Client()
    staff_client.force_login(staff)
    officer_context = browser.new_context()
    officer_context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": staff_client.cookies[settings.SESSION_COOKIE_NAME].value,
                                  "url": live_server.url}])
    officer_page = officer_context.new_page()
    officer_page.goto(live_server.url + f"/quan-tri/accounts/registration/{registration.pk}/change/")
    officer_page.wait_for_url(f"**/quan-tri/accounts/registration/{registration.pk}/change/")
    assert officer_page.locator("img[alt='Ảnh chân dung']").evaluate("img => img.naturalWidth") == 320
    assert_accessible(officer_page)
    officer_page.get_by_role("button", name="Duyệt và cấp tài khoản").click()
    officer_page.wait_for_selector("text=Đã duyệt đăng ký")

    assert_accessible(officer_page)
    [approved] = wait_for(lambda: [text for text in sms_texts() if "Mật khẩu tạm" in text])
    password = approved.split("Mật khẩu tạm: ", 1)[1].split(" ", 1)[0]
    user = User.objects.get(username="7901234567")
    assert user.check_password(password) and user.must_change_password

    # First login: password from the SMS, then the code sent to the registered phone.
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Mã số BHXH hoặc tên đăng nhập").fill("7901234567")
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    sent = len(sms_texts())
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/tai-khoan/dang-nhap/xac-nhan/")
    assert "số điện thoại có đuôi 321" in page.content()  # the phone declared at registration
    assert_accessible(page)
    code = re.search(r"\b(\d{6})\b", wait_for(lambda: sms_texts()[sent:])[-1]).group(1)
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Xác nhận và đăng nhập").click()

    # The temporary password must be replaced before anything else.
    page.wait_for_url("**/tai-khoan/dat-mat-khau-moi/**")
    assert_accessible(page)
    page.goto(live_server.url + "/qua-trinh-tham-gia/")
    page.wait_for_url("**/tai-khoan/dat-mat-khau-moi/**")
    page.get_by_label("Mật khẩu mới", exact=True).fill("mùa thu Hà Nội có gió heo may")
    page.get_by_label("Nhập lại mật khẩu mới").fill("mùa thu Hà Nội có gió heo may")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    page.wait_for_url("**/qua-trinh-tham-gia/")  # back to the page that was asked for
    assert "Mật khẩu của bạn đã được thay đổi." in page.content()
    page.get_by_role("link", name="Quản lý cá nhân").first.click()
    page.wait_for_url("**/ca-nhan/")
    assert "Nguyễn Văn Đức" in page.content() and "7901234567" in page.content()
    assert_accessible(page)
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("mùa thu Hà Nội có gió heo may")
