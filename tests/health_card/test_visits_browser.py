"""The medical-visit history in a real Chromium, with the demo data: the table of years, the latest
year's visits, a visit opened in place (<details>), another year chosen, a visit's own page with its
cost lines reached by link and back to its year; axe-core finds nothing on a desktop and on a
phone-sized screen, no page scrolls sideways on the phone, no console error (CSP included).
Logged in by handing the browser a session made by Django's test client."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from health_card.models import Visit
from tests.e2e.screens import check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
@pytest.fixture
def browser_page(page, live_server, reference_data):
    call_command("seed_demo", persons=3, seed=2026, verbosity=0)
    user = User.objects.get(username="7901234567")
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    return page


def test_visit_history_in_a_real_browser(browser_page, live_server):
    page = browser_page
    assert page.goto(live_server.url + "/so-kham-chua-benh/").status == 200
    check(page, "Lịch sử khám chữa bệnh")
    summary = page.get_by_role("table", name="Tổng hợp chi phí khám chữa bệnh theo năm")
    years = summary.locator("tbody th a").all_inner_texts()
    assert len(years) >= 3 and years == sorted(years, reverse=True)
    assert page.locator("section.visit-year").count() == 1  # the latest year only
    assert page.locator("section.visit-year h2").inner_text().startswith(f"Năm {years[0]} ")

    first = page.locator("section.visit-year details").first
    assert not first.locator("dl").is_visible()
    first.locator("summary").click()
    assert first.locator("dl").is_visible() and first.get_by_role("link", name="Chi phí chi tiết").is_visible()
    check(page, "Lịch sử khám chữa bệnh")  # with a visit open

    # The newest inpatient stay: its year chosen in the table, the stay opened on its own page with
    # its cost lines, and back to that year; its heading as the template writes it.
    stay = (Visit.objects.filter(person__bhxh_code="7901234567", kind="noi_tru")
            .order_by("-admitted_on", "-pk").first())
    year = stay.admitted_on.year
    summary.get_by_role("link", name=str(year), exact=True).click()
    page.wait_for_url(f"**/so-kham-chua-benh/?nam={year}")
    assert page.locator("section.visit-year h2").inner_text().startswith(f"Năm {year} ")
    inpatient = page.locator("section.visit-year details", has_text="Nội trú").first
    inpatient.locator("summary").click()
    inpatient.get_by_role("link").click()
    page.wait_for_url(f"**/so-kham-chua-benh/{stay.pk}/")
    check(page, f"Lượt khám nội trú ngày {stay.admitted_on:%d/%m/%Y}")
    assert stay.reference in page.content() and stay.diagnosis_name in page.content()
    assert page.get_by_role("region", name="Chi phí chi tiết").count() == 1
    assert "Ngày giường" in page.content()
    page.get_by_role("link", name="← Lịch sử khám chữa bệnh").click()
    page.wait_for_url(f"**/so-kham-chua-benh/?nam={year}")
    assert stay.diagnosis_name in page.content()
    assert page.console_errors == []
