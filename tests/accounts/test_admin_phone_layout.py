"""The officers' pages where a reason is typed (rejecting a registration; rejecting or returning a
filing) fit a phone 390 px wide in a real Chromium: the text box is as wide as the screen allows,
so the page does not scroll sideways; on a desktop it keeps its 60 characters. A list's count of results links
its "Hiện tất cả" underlined."""

import pytest
from django.conf import settings
from django.test import Client

from tests.accounts.helpers import make_person, officer, submit
from tests.public_services.helpers import citizen
from tests.public_services.helpers import submit as submit_filing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def officer_page(browser, live_server, reference_data):
    staff = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    client = Client()
    client.force_login(staff)
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    yield context.new_page()
    context.close()


def test_the_reason_boxes_fit_a_phone(officer_page, live_server):
    registration = submit(make_person())
    filing = submit_filing(citizen("7909000001", "Trần Thị Mai", sex=2, id_number="079188012345"))
    pages = {
        f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/": "#id_reason",
        f"/quan-tri/public_services/filing/{filing.pk}/ghi-chu/reject/": "#id_note",
        f"/quan-tri/public_services/filing/{filing.pk}/ghi-chu/return/": "#id_note",
    }
    page = officer_page
    for path, box in pages.items():
        page.set_viewport_size(PHONE)
        assert page.goto(live_server.url + path).status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{path} is {width} px wide at 390 px"
        right = page.locator(box).evaluate("box => box.getBoundingClientRect().right")
        assert right <= PHONE["width"], (path, right)
        page.set_viewport_size(DESKTOP)
        wide = page.locator(box).evaluate("box => box.getBoundingClientRect().width")
        assert 400 < wide < 800, (path, wide)  # about 60 characters, not the whole desktop


def test_the_link_beside_a_lists_count_of_results_is_told_by_more_than_colour_on_a_phone(officer_page, live_server):
    """The "Hiện tất cả" or "tổng số" link after the count of a search's or a filter's results is
    underlined: on a phone, where it sits in the line of text, colour alone tells it (WCAG 1.4.1)."""
    from axe_playwright_python.sync_playwright import Axe

    submit(make_person())
    submit_filing(citizen("7909000001", "Trần Thị Mai", sex=2, id_number="079188012345"))
    page = officer_page
    for path in ["/quan-tri/accounts/registration/?q=7901", "/quan-tri/public_services/filing/?q=HS"]:
        assert page.goto(live_server.url + path).status == 200, path
        assert page.locator("#toolbar .quiet a").count() == 1, path
        results = Axe().run(page)
        assert results.violations_count == 0, f"{path}\n{results.generate_report()}"


def test_the_registrations_comparison_with_the_registry_fits_a_phone(officer_page, live_server):
    """The review page's comparison (declared, registry, its verdict) sits in Django's form row, which
    hides what overflows it: on a phone 360 px wide its last column, the "⚠ Khác" an officer looks for,
    was cut off. Its cells break a long value (an e-mail address, a CCCD number) instead."""
    person = make_person()
    registration = submit(person, email="nguyen.van.duc.quan.mot@example.com.vn")
    page = officer_page
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.goto(live_server.url + f"/quan-tri/accounts/registration/{registration.pk}/change/").status == 200
    table = page.locator("table.comparison")
    row = page.locator(".form-row.field-comparison")
    table_right = table.evaluate("table => table.getBoundingClientRect().right")
    row_right = row.evaluate("row => row.getBoundingClientRect().right")
    assert table_right <= row_right, (table_right, row_right)
    assert table.locator("td", has_text="⚠ Khác").count() >= 1  # the phone declared is not the registry's
