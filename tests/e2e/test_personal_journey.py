"""Journey: the demo citizen goes through every page of "Quản lý cá nhân" in Chromium — personal
information (phone revealed), the four participation tabs with a period opened and the chart's
table, the CSV export, the verifiable statement (built by a real Celery worker where Redis and
PostgreSQL are at hand, always in CI; downloaded, checked on its public page), the benefit list,
a record, the estimator, the BHYT card and the medical-visit history — then switches to a child's records and back. axe-core finds nothing on
any page, on a desktop and on a phone-sized screen, and no page scrolls sideways on the phone nor at 320 px.

Logged in by handing the browser a session made by Django's test client: the login itself (SMS
code on a new device) has its own journey in test_login_journey.py.
"""

import csv
import datetime
import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.models import Guardianship, Person, User
from benefits.models import BenefitRecord
from participation.models import Period, Statement
from tests.accounts.helpers import born_years_ago, cccd_for, make_person
from tests.benefits.helpers import record
from tests.e2e.screens import check

CHILD_BORN = born_years_ago(16)  # a minor (15 or 16) whenever the tests run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(reference_data):
    call_command("seed_demo", persons=3, seed=2026, verbosity=0)
    user = User.objects.get(username="7901234567")
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    Guardianship.objects.create(parent=user, child=child, relationship="cha")
    first = datetime.date(CHILD_BORN.year + 14, 1, 1)  # the child's last three years, never before the birth
    Period.objects.create(
        person=child, kind=Period.Kind.BHYT, from_month=first, to_month=datetime.date(CHILD_BORN.year + 16, 12, 1),
        payer=Period.Payer.STATE, base=0, rate=0, amount=0, province_id=user.person.province_id,
        agency=user.person.agency, import_key=f"7905555555|bhyt|{first:%Y-%m}|state")
    return user


@pytest.fixture
def browser_page(page, live_server, citizen):
    client = Client()
    client.force_login(citizen)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    return page


def test_every_personal_page_in_a_real_browser(browser_page, live_server, citizen, task_worker, tmp_path):
    page, person = browser_page, citizen.person

    # Personal information: the phone is masked until asked for.
    page.goto(live_server.url + "/ca-nhan/")
    check(page, "Quản lý cá nhân")
    assert "0912 345 678" not in page.content() and "678" in page.locator("dd", has_text="678").inner_text()
    page.get_by_role("link", name="Hiện số điện thoại đầy đủ").click()
    assert page.get_by_text("0912 345 678").is_visible()
    check(page, "Quản lý cá nhân")

    # Participation history: every tab, a period opened, the chart's table.
    page.get_by_role("link", name="Quá trình tham gia").first.click()
    page.wait_for_url("**/qua-trinh-tham-gia/")
    assert "Tổng thời gian tham gia" in page.content()
    check(page, "Quá trình tham gia")
    tabs = page.get_by_role("navigation", name="Loại bảo hiểm").get_by_role("link")
    labels = tabs.all_inner_texts()
    assert len(labels) == 4
    for label in labels:
        page.get_by_role("navigation", name="Loại bảo hiểm").get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()
        current = page.get_by_role("navigation", name="Loại bảo hiểm").locator("[aria-current=page]")
        assert current.inner_text() == label
        first_period = page.locator("#chi-tiet ~ * details, section[aria-labelledby=chi-tiet] details").first
        first_period.locator("summary").click()  # keyboard-free "con mắt": the details open
        assert first_period.locator("dl").is_visible()
        check(page, "Quá trình tham gia")
    page.get_by_text("Xem số liệu dạng bảng").click()
    assert page.locator("details[open] table").first.is_visible()

    # Own-data export: every period of the person, one CSV row each.
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải toàn bộ quá trình tham gia (CSV)").click()
    path = tmp_path / "qua-trinh.csv"
    download.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) - 1 == Period.objects.filter(person=person).count() > 10

    # The verifiable statement: asked for, built in the background, shown without a reload by hand.
    page.get_by_role("button", name="Tải bản xác nhận quá trình tham gia").click()
    page.wait_for_url(re.compile(r".*/qua-trinh-tham-gia/xac-nhan/\d+/$"))
    page.get_by_role("link", name="Tải bản xác nhận (PDF)").wait_for(timeout=60_000)  # also said in the status region
    check(page, "Bản xác nhận quá trình tham gia")
    statement = Statement.objects.get(person=person)
    assert statement.status == Statement.Status.READY
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản xác nhận (PDF)").click()
    pdf = tmp_path / "xac-nhan.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    page.locator("a[href*='/xac-thuc/van-ban/']").click()
    assert "Văn bản hợp lệ" in page.content()
    check(page, "Xác thực văn bản")
    page.goto(live_server.url + "/qua-trinh-tham-gia/xac-nhan/")
    check(page, "Bản xác nhận quá trình tham gia")
    assert page.get_by_role("link", name=re.compile(r"^[A-Z0-9]{4}-")).count() == 1

    # Benefits: the list, a record, the estimator.
    page.goto(live_server.url + "/ca-nhan/")
    page.get_by_role("link", name="Thông tin hưởng").first.click()
    page.wait_for_url("**/thong-tin-huong/")
    check(page, "Thông tin hưởng")
    one_time = BenefitRecord.objects.get(person=person, kind=BenefitRecord.Kind.ONE_TIME)
    page.get_by_role("link", name=f"Hồ sơ số {one_time.reference}").click()
    page.wait_for_url(f"**/thong-tin-huong/{one_time.pk}/")
    check(page, f"BHXH một lần: hồ sơ số {one_time.reference}")
    page.goto(live_server.url + "/thong-tin-huong/uoc-tinh/")
    check(page, "Ước tính BHXH một lần")
    assert "Bước 5. Mức hưởng" in page.content()

    # The BHYT card and the medical-visit history, reached from the personal area.
    page.goto(live_server.url + "/ca-nhan/")
    page.get_by_role("link", name="Thẻ BHYT").first.click()
    page.wait_for_url("**/the-bhyt/")
    check(page, "Thẻ BHYT")
    page.goto(live_server.url + "/ca-nhan/")
    page.get_by_role("link", name="Lịch sử khám chữa bệnh").click()
    page.wait_for_url("**/so-kham-chua-benh/")
    check(page, "Lịch sử khám chữa bệnh")

    # Another person's record is not found, whoever asks.
    stranger = record(make_person("7909999999", "Trần Thị Mai", sex=2, id_number="079188012345"))
    assert page.console_errors == []
    assert page.goto(f"{live_server.url}/thong-tin-huong/{stranger.pk}/").status == 404
    assert "Trần Thị Mai" not in page.content()
    assert [error for error in page.console_errors if "404" not in error] == []
    page.console_errors.clear()

    # A parent switches to the child's records and back.
    page.goto(live_server.url + "/ca-nhan/")
    page.get_by_role("button", name="Xem thông tin của Nguyễn Gia Bảo").click()
    page.wait_for_load_state()
    assert "Đang xem thông tin của" in page.content()
    check(page, "Quản lý cá nhân")
    page.goto(live_server.url + "/qua-trinh-tham-gia/bhyt/")
    assert "Nguyễn Gia Bảo · Mã số BHXH 7905555555" in page.content()
    check(page, "Quá trình tham gia")
    page.goto(live_server.url + "/ca-nhan/")
    page.get_by_role("button", name="Quay về tài khoản của tôi").click()
    page.wait_for_load_state()
    assert "Đang xem thông tin của" not in page.content()
    assert Person.objects.get(pk=person.pk).full_name in page.content()

    assert page.console_errors == []
