"""Journeys of "Dịch vụ công" in Chromium: 607A and 608A from the form to "done", the officer's
side in the admin (receive, start, return for correction, complete), the declaration PDF built
in the background while the status page shows its progress (a real Celery worker where Redis and
PostgreSQL are at hand, always in CI) and downloaded. axe-core finds nothing on any citizen page,
on a desktop and on a phone-sized screen, and no page scrolls sideways on the phone nor at 320 px; nor on the
officer's queue, filing and note pages in the admin."""

import io
import re
import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from PIL import Image

from public_services.models import Filing
from tests.accounts.helpers import officer
from tests.conftest import require_tool
from tests.e2e.screens import check
from tests.health_card.card_fixtures import facility, issue  # noqa: F401
from tests.public_services.helpers import DISTRICT, citizen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_admin(page):
    """An admin page of the officer's side: no axe violation (desktop, as officers work)."""
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def logged_in_page(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    return page


@pytest.fixture
def people(reference_data):
    return citizen(), officer("canbo07901", "07901", DISTRICT)


@pytest.fixture
def pages(browser, live_server, people):
    owner, staff = people
    citizen_context, officer_context = browser.new_context(), browser.new_context()
    yield logged_in_page(citizen_context, live_server, owner), logged_in_page(officer_context, live_server, staff)
    citizen_context.close()
    officer_context.close()


def officer_step(page, live_server, filing, button, confirming=()):
    """One step on the officer's filing page. A step that writes more than the status (608A, a
    card reissue...) opens a confirmation first, which must list `confirming`."""
    page.goto(f"{live_server.url}/quan-tri/public_services/filing/{filing.pk}/change/")
    check_admin(page)
    if confirming:
        page.get_by_role("link", name=f"{button}…").click()
        check_admin(page)
        assert "không hoàn tác được" in page.content()
        for change in confirming:
            assert page.get_by_text(change).first.is_visible(), change
        page.get_by_role("button", name="Xác nhận").click()
    else:
        page.get_by_role("button", name=button).click()
    page.wait_for_selector("text=người nộp đã được thông báo")
    check_admin(page)  # the filing page again, with the confirmation


def wait_for_declaration(page, filing, tmp_path, expected):
    page.get_by_role("link", name="Tải tờ khai (PDF)").wait_for(timeout=60_000)  # poll.js reloads the page
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tờ khai (PDF)").click()
    path = tmp_path / f"{filing.tracking_number}.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    pdftotext = require_tool("pdftotext", "poppler-utils")
    text = re.sub(r"\s+", "", subprocess.run([pdftotext, str(path), "-"], capture_output=True, check=True).stdout.decode())
    for value in expected:
        assert re.sub(r"\s+", "", value) in text


def test_607a_from_the_form_to_done(pages, people, live_server, task_worker, tmp_path):
    page, officer_page = pages
    page.goto(live_server.url + "/dich-vu-cong/")
    check(page, "Dịch vụ công")
    page.get_by_role("link", name="Cấp lại sổ BHXH do mất, hỏng (không thay đổi thông tin)").click()
    page.wait_for_url("**/dich-vu-cong/cap-lai-so-bhxh/")
    check(page, "Cấp lại sổ BHXH do mất, hỏng (không thay đổi thông tin)")
    assert page.get_by_label("Địa chỉ nhận kết quả").input_value() == people[0].person.address  # from the registry

    # Nothing chosen: the error summary, the answers and the attached file kept.
    page.get_by_label("Nội dung yêu cầu", exact=True).fill("Mất sổ khi chuyển nhà ở Thủ Đức")
    page.get_by_label("Tệp hồ sơ kèm theo (không bắt buộc)").set_input_files([attached_pdf()])
    page.get_by_role("button", name="Tiếp tục").click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label("Nội dung yêu cầu", exact=True).input_value() == "Mất sổ khi chuyển nhà ở Thủ Đức"
    assert page.get_by_label("Bỏ tệp giay-xac-nhan.pdf").is_visible()
    check(page, "Cấp lại sổ BHXH do mất, hỏng (không thay đổi thông tin)")
    page.get_by_label("Bị mất sổ").check()
    page.get_by_label("Địa chỉ nhận kết quả").fill("12 Lê Lợi, Phường Sài Gòn, Thành phố Hồ Chí Minh")
    page.get_by_role("button", name="Tiếp tục").click()

    page.wait_for_url("**/xem-lai/")
    check(page, "Kiểm tra trước khi nộp")
    assert page.get_by_role("link", name="giay-xac-nhan.pdf").is_visible()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(re.compile(r".*/dich-vu-cong/ho-so/\d+/$"))
    filing = Filing.objects.get()
    wait_for_declaration(page, filing, tmp_path, ["MẫuTK1-TS", "NguyễnVănĐức", "MấtsổkhichuyểnnhàởThủĐức",
                                                  "giay-xac-nhan.pdf"])
    check(page, f"Hồ sơ {filing.tracking_number}")
    assert page.get_by_role("link", name="giay-xac-nhan.pdf").is_visible()

    page.get_by_role("link", name="Các hồ sơ đã nộp").click()
    page.wait_for_url("**/dich-vu-cong/ho-so/")
    check(page, "Hồ sơ đã nộp")

    officer_page.goto(live_server.url + "/quan-tri/public_services/filing/")
    assert filing.tracking_number in officer_page.content()
    check_admin(officer_page)  # the queue
    for button in ("Tiếp nhận hồ sơ", "Bắt đầu giải quyết", "Hoàn thành, có kết quả"):
        officer_step(officer_page, live_server, filing, button)
    assert Filing.objects.get().status == Filing.Status.DONE

    page.goto(f"{live_server.url}/dich-vu-cong/ho-so/{filing.pk}/")
    assert page.get_by_text("Đã có kết quả").first.is_visible()
    check(page, f"Hồ sơ {filing.tracking_number}")
    page.goto(live_server.url + "/thong-bao/")
    assert filing.tracking_number in page.content()
    assert page.console_errors == []


def attached_pdf():
    from weasyprint import HTML

    return {"name": "giay-xac-nhan.pdf", "mimeType": "application/pdf",
            "buffer": HTML(string="<p>Giấy xác nhận mất sổ</p>").write_pdf()}


def evidence_image():
    out = io.BytesIO()
    Image.new("RGB", (400, 260), (200, 170, 150)).save(out, "JPEG")
    return {"name": "giay-khai-sinh.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def test_608a_returned_corrected_and_done(pages, live_server, task_worker, tmp_path):
    page, officer_page = pages
    page.goto(live_server.url + "/dich-vu-cong/cap-lai-so-bhxh-thay-doi-thong-tin/")
    heading = "Cấp lại sổ BHXH do thay đổi họ tên, ngày sinh, giới tính, số CCCD"
    check(page, heading)
    page.get_by_label("Họ và tên", exact=True).check()
    page.get_by_label("Họ và tên mới").fill("Nguyễn Văn Đức Thành")
    page.get_by_label("Lý do thay đổi").fill("Cải chính họ tên theo giấy khai sinh")
    page.get_by_label("Ảnh giấy tờ chứng minh").set_input_files(evidence_image())
    page.get_by_label("Nhận tại cơ quan BHXH giải quyết hồ sơ").check()
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/xem-lai/")
    assert page.locator("img[alt='Ảnh giấy tờ chứng minh đã tải lên']").evaluate("img => img.naturalWidth") == 400
    check(page, "Kiểm tra trước khi nộp")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(re.compile(r".*/dich-vu-cong/ho-so/\d+/$"))
    filing = Filing.objects.get()
    wait_for_declaration(page, filing, tmp_path, ["MẫuTK1-TS", "NguyễnVănĐứcThành", "Cảichínhhọtêntheogiấykhaisinh"])
    check(page, f"Hồ sơ {filing.tracking_number}")

    # The officer finds it in the queue, sees the evidence, receives the filing and returns it
    # for a correction.
    officer_page.goto(live_server.url + "/quan-tri/public_services/filing/")
    assert filing.tracking_number in officer_page.content()
    check_admin(officer_page)
    officer_page.goto(f"{live_server.url}/quan-tri/public_services/filing/{filing.pk}/change/")
    assert officer_page.locator("img[alt='Ảnh giấy tờ chứng minh']").evaluate("img => img.naturalWidth") == 400
    officer_step(officer_page, live_server, filing, "Tiếp nhận hồ sơ")
    officer_page.get_by_role("link", name="Trả lại để bổ sung, sửa đổi…").click()
    officer_page.get_by_label("Nội dung người nộp cần bổ sung").wait_for()
    check_admin(officer_page)  # the note form
    officer_page.get_by_label("Nội dung người nộp cần bổ sung").fill("Ghi đủ họ tên mới: Nguyễn Văn Đức Thành Tâm.")
    officer_page.get_by_role("button", name="Trả lại để bổ sung, sửa đổi").click()
    officer_page.wait_for_selector("text=người nộp đã được thông báo")

    page.reload()
    assert page.get_by_text("Ghi đủ họ tên mới").first.is_visible()
    check(page, f"Hồ sơ {filing.tracking_number}")
    page.get_by_role("link", name="Sửa và nộp lại hồ sơ").click()
    check(page, heading)
    page.get_by_label("Họ và tên mới").fill("Nguyễn Văn Đức Thành Tâm")
    page.get_by_role("button", name="Nộp lại hồ sơ").click()
    page.wait_for_url(f"**/dich-vu-cong/ho-so/{filing.pk}/")
    filing.refresh_from_db()
    assert filing.revision == 2 and filing.data["new_full_name"] == "Nguyễn Văn Đức Thành Tâm"
    wait_for_declaration(page, filing, tmp_path, ["NguyễnVănĐứcThànhTâm", "Nộplạilần2"])

    for button in ("Tiếp nhận hồ sơ", "Bắt đầu giải quyết"):
        officer_step(officer_page, live_server, filing, button)
    officer_step(officer_page, live_server, filing, "Hoàn thành, có kết quả", confirming=["Nguyễn Văn Đức Thành Tâm"])
    page.reload()
    assert page.get_by_text("Đã có kết quả").first.is_visible()
    check(page, f"Hồ sơ {filing.tracking_number}")
    assert page.console_errors == []


def test_every_procedure_form_is_accessible_empty_and_with_errors(pages, live_server, people, facility):  # noqa: F811
    from public_services.procedures import registry

    page, _officer_page = pages
    issue(people[0].person, facility)  # the card reissue is offered to a holder of a card in use
    for procedure in registry.all_procedures():
        page.goto(f"{live_server.url}/dich-vu-cong/{procedure.slug}/")
        check(page, procedure.name)
        page.get_by_role("button", name="Tiếp tục").click()
        page.wait_for_load_state()
        assert page.locator(".error-summary").is_visible(), procedure.code
        check(page, procedure.name)
    page.goto(f"{live_server.url}/dich-vu-cong/ho-so/")
    check(page, "Hồ sơ đã nộp")
    assert page.console_errors == []


def test_a_change_of_payment_method_is_sent_only_with_the_password_given_again(pages, live_server):
    """Moving the benefits' money: "Nộp hồ sơ" asks the password of the login; a wrong one is refused
    and nothing is sent; the right one sends the answers reviewed, not typed again."""
    page, _officer_page = pages
    page.goto(live_server.url + "/dich-vu-cong/thay-doi-phuong-thuc-nhan/")
    page.get_by_label("Nhận tiền mặt tại điểm chi trả bưu điện").check()
    page.get_by_label("Điểm chi trả bưu điện muốn nhận").fill("Bưu điện Sài Gòn")
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/xem-lai/")
    page.get_by_role("button", name="Nộp hồ sơ").click()

    page.wait_for_url("**/tai-khoan/nhap-lai-mat-khau/**")
    check(page, "Nhập lại mật khẩu để nộp hồ sơ")
    page.get_by_label("Mật khẩu", exact=True).fill("sai-Pass-2026!")
    page.get_by_role("button", name="Xác nhận").click()
    assert page.locator(".error-summary").is_visible() and "Mật khẩu không đúng." in page.content()
    assert not Filing.objects.exists()
    page.get_by_label("Mật khẩu", exact=True).fill("x-Pass-2026!")
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(re.compile(r".*/dich-vu-cong/ho-so/\d+/$"))
    filing = Filing.objects.get()
    assert filing.procedure_code == "THAY-DOI-CHI-TRA" and filing.data["post_office"] == "Bưu điện Sài Gòn"
    assert "Đã nộp hồ sơ." in page.content()
