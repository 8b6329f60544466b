"""The benefit pages in a real Chromium: no accessibility violations (axe-core), no CSP errors,
no horizontal scroll on a phone. Logged in by handing the browser a session made by Django's
test client (the portal's login would ask this new browser for an SMS code)."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from benefits.models import BenefitRecord
from lookup.models import Agency, Province

from .helpers import citizen, decided, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def logged_in(page, live_server, reference_data):
    user = citizen()
    person = user.person
    one_time = record(person, BenefitRecord.Kind.ONE_TIME, reference="07901.2025.000123", status="processing")
    record(person, BenefitRecord.Kind.SICKNESS, reference="07901.2025.000045", start_date=datetime.date(2025, 8, 20),
           **decided(status="paid", amount=3_125_000, paid_on=datetime.date(2025, 9, 12)))
    record(person, BenefitRecord.Kind.UNEMPLOYMENT, reference="07901.2024.000981", status="rejected",
           reject_reason="Đã có việc làm trong thời hạn 15 ngày.")
    from participation.models import Period

    province, agency = Province.objects.get(code="79"), Agency.objects.get(code="07901")
    for kind, first, last, base in (("bhxh_bb", datetime.date(2012, 3, 1), datetime.date(2013, 12, 1), 4_200_000),
                                    ("bhxh_tn", datetime.date(2014, 1, 1), datetime.date(2016, 8, 1), 3_000_000)):
        Period.objects.create(person=person, kind=kind, from_month=first, to_month=last, payer="self", base=base,
                              rate=22, amount=base * 22 // 100, province=province, agency=agency,
                              import_key=f"{person.bhxh_code}|{kind}|{first:%Y-%m}|self")
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return {"one_time": one_time, "console_errors": errors}


def check(page, url, heading):
    response = page.goto(url)
    assert response.status == 200
    assert page.locator("h1").inner_text() == heading
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_list_page_is_accessible(page, live_server, logged_in):
    check(page, live_server.url + "/thong-tin-huong/", "Thông tin hưởng")
    assert page.get_by_role("heading", name="BHXH một lần").is_visible()
    assert page.get_by_role("list", name="Tiến trình giải quyết hồ sơ 07901.2025.000123").is_visible()
    assert logged_in["console_errors"] == []


def test_detail_page_is_accessible_and_reached_from_the_list(page, live_server, logged_in):
    page.goto(live_server.url + "/thong-tin-huong/")
    page.get_by_role("link", name="Hồ sơ số 07901.2025.000123").click()
    page.wait_for_url(f"**/thong-tin-huong/{logged_in['one_time'].pk}/")
    check(page, page.url, "BHXH một lần: hồ sơ số 07901.2025.000123")
    assert logged_in["console_errors"] == []


def test_estimator_page_is_accessible_and_fits_a_phone(page, live_server, logged_in):
    check(page, live_server.url + "/thong-tin-huong/uoc-tinh/", "Ước tính BHXH một lần")
    assert "Bước 5. Mức hưởng" in page.content()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/thong-tin-huong/uoc-tinh/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert logged_in["console_errors"] == []


def test_detail_page_fits_a_390_px_phone_at_twice_the_text_size(page, live_server, logged_in):
    """WCAG 1.4.4: the heading's file number and the timeline's agency and file number are long
    words; with the browser's text size doubled they wrap instead of widening the page."""
    person = logged_in["one_time"].person
    long = record(person, BenefitRecord.Kind.PENSION, reference=f"07901.{person.bhxh_code}.02", status="processing")
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 32}})
    for pk in (logged_in["one_time"].pk, long.pk):
        assert page.goto(f"{live_server.url}/thong-tin-huong/{pk}/").status == 200
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 32
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.evaluate(
            "document.documentElement.scrollWidth")
