"""Enter in a field goes on with the form (WCAG 3.2.2): a form with a list refresh button inside it
("Cập nhật danh sách phường/xã") starts with an unseen copy of its main button, which is the one
Enter presses; the refresh button still refreshes when it is chosen."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.accounts.helpers import make_person
from tests.e2e.test_registration_journey import fill_declaration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False])
def test_enter_in_the_registration_declaration_continues_to_the_photos(browser, live_server, reference_data,
                                                                       javascript):
    make_person()
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + "/dang-ky/")
    fill_declaration(page)
    assert page.get_by_role("button", name="Tiếp tục").count() == 1  # the copy is hidden from screen readers
    page.get_by_label("Số điện thoại di động").fill("0987654321")
    page.get_by_label("Số điện thoại di động").press("Enter")
    page.wait_for_url("**/dang-ky/anh/")
    context.close()


def test_enter_with_an_answer_missing_shows_the_errors(page, live_server, reference_data):
    page.goto(live_server.url + "/dang-ky/")
    page.get_by_label("Họ và tên").fill("Nguyễn Văn Đức")
    page.get_by_label("Họ và tên").press("Enter")
    page.locator(".error-summary").wait_for()
    assert page.title().startswith("Lỗi:")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_enter_in_the_benefit_place_form_goes_to_the_review(browser, live_server, reference_data):
    from lookup.models import Agency
    from tests.e2e.test_public_services_journey import logged_in_page
    from tests.public_services.helpers import citizen

    user = citizen()  # with a monthly allowance: the procedure is open to him
    other = Agency.objects.get(code="07902")
    context = browser.new_context(java_script_enabled=False)
    page = logged_in_page(context, live_server, user)
    page.goto(live_server.url + "/dich-vu-cong/chuyen-noi-huong/")
    page.get_by_label("Tỉnh/thành phố nơi muốn nhận").select_option(value=str(other.province_id))
    page.get_by_role("button", name="Cập nhật danh sách cơ quan BHXH").click()  # still refreshes when chosen
    page.get_by_label("Cơ quan BHXH nơi muốn nhận").select_option(value=str(other.pk))
    page.get_by_label("Lý do chuyển nơi hưởng").fill("Chuyển về ở với con gái")
    page.get_by_label("Địa chỉ nơi ở mới").fill("45 Hà Huy Giáp, Quận 12")
    page.get_by_label("Địa chỉ nơi ở mới").press("Enter")
    page.wait_for_url("**/chuyen-noi-huong/xem-lai/**")
    # Sent once the password is given again, as a filing that moves the benefits' money asks.
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url("**/tai-khoan/nhap-lai-mat-khau/**")
    page.get_by_label("Mật khẩu", exact=True).fill("x-Pass-2026!")
    page.get_by_label("Mật khẩu", exact=True).press("Enter")
    page.wait_for_url(re.compile(r".*/dich-vu-cong/ho-so/\d+/$"))
    context.close()
