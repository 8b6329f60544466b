"""The officers' forms with autocomplete fields (Select2) and a table of lines, in Chromium: axe-core
finds nothing — each autocomplete box is named by its field's label, whether a choice is shown or not,
and every input of a visit's cost lines by its column — on the add pages and on a saved visit."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from accounts.models import User
from tests.accounts.helpers import officer_record
from tests.health_card.test_visits import citizen, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_page(page, live_server, reference_data):
    client = Client()
    # a superuser naming a record of their own, without which the visits' pages would be read-only
    client.force_login(User.objects.create_superuser("quantri", password=None,
                                                     officer_person=officer_record("quantri")))
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def check(page):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    assert page.errors == []


@pytest.mark.parametrize("path", ["participation/period/add/", "health_card/card/add/", "health_card/visit/add/",
                                  "health_card/facilityapitoken/add/"])
def test_add_pages_with_autocomplete_fields(admin_page, live_server, path):
    page = admin_page
    page.goto(f"{live_server.url}/quan-tri/{path}")
    boxes = page.locator(".select2-selection")
    assert boxes.count() >= 1
    for index in range(boxes.count()):
        select = page.locator("select.admin-autocomplete").nth(index)
        label = page.locator(f"label[for={select.get_attribute('id')}]").inner_text()
        assert page.get_by_role("combobox", name=label).count() == 1
    check(page)


def test_a_chosen_clinic_is_named_with_its_field(admin_page, live_server, reference_data):
    page = admin_page
    page.goto(f"{live_server.url}/quan-tri/health_card/facilityapitoken/add/")
    page.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("79")
    page.locator(".select2-results__option--highlighted").click()
    chosen = page.locator(".select2-selection__rendered").inner_text()
    assert chosen and page.get_by_role("combobox", name=re.compile(rf"^Cơ sở KCB.* {re.escape(chosen)}")).count() == 1
    check(page)


def test_a_saved_visit_with_its_cost_lines(admin_page, live_server):
    saved = visit(citizen().person)
    page = admin_page
    page.goto(f"{live_server.url}/quan-tri/health_card/visit/{saved.pk}/change/")
    assert page.get_by_role("textbox", name="Nội dung", exact=True).count() >= 2  # the saved lines and the empty one
    assert page.get_by_role("checkbox", name=re.compile(r"^Xóa Khám bệnh")).count() >= 1
    check(page)


def test_a_visit_saved_by_someone_else_meanwhile_is_shown_before_a_second_save(admin_page, live_server):
    from health_card.models import Visit
    from tests.benefits.helpers import admin_form

    saved = visit(citizen().person)
    url = f"/quan-tri/health_card/visit/{saved.pk}/change/"
    page = admin_page
    page.goto(live_server.url + url)
    colleague = Client()
    colleague.force_login(User.objects.get(username="quantri"))
    colleague.post(url, {**admin_form(colleague, url, form_id="visit_form"), "discharged_on": "06/03/2025"})

    page.get_by_label("Chẩn đoán chính").fill("Viêm họng cấp")
    page.locator("input[name=_continue]").click()
    summary = page.get_by_role("alert").filter(has_text="Người khác đã lưu hồ sơ này sau khi bạn mở trang")
    summary.wait_for()
    assert summary.get_by_role("link", name="Ngày ra: 06/03/2025").count() == 1
    assert page.get_by_label("Chẩn đoán chính").input_value() == "Viêm họng cấp"
    check(page)

    page.locator("input[name=_continue]").click()  # saved again, knowing the colleague's date
    page.wait_for_url(re.compile(r"/change/$"))
    assert page.get_by_role("alert").filter(has_text="Người khác đã lưu").count() == 0
    stored = Visit.objects.get(pk=saved.pk)
    assert (stored.diagnosis_name, stored.discharged_on.day, stored.revision) == ("Viêm họng cấp", 4, 2)


@pytest.mark.parametrize("width", [1280, 1920])
def test_a_visits_cost_lines_keep_the_page_from_scrolling_sideways_on_a_desktop(admin_page, live_server, width):
    """The table of cost lines, seven inputs wide, scrolls inside its own box if it must, as Django's
    admin does below 1024 px, and its money inputs are no wider than a sum needs: the page itself,
    with its save buttons, never scrolls sideways on a desktop."""
    saved = visit(citizen().person)
    page = admin_page
    page.set_viewport_size({"width": width, "height": 800})
    for path in ["health_card/visit/add/", f"health_card/visit/{saved.pk}/change/"]:
        page.goto(f"{live_server.url}/quan-tri/{path}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            path, page.evaluate("document.documentElement.scrollWidth"))
        amount = page.locator("#id_lines-0-amount")
        amount.scroll_into_view_if_needed()
        assert amount.is_visible() and amount.evaluate("box => box.getBoundingClientRect().width") < 160
        amount.fill("1.234.567.890")
    check(page)


@pytest.mark.parametrize("path", ["auth/group/add/", "accounts/user/{pk}/change/"])
def test_the_two_list_pickers_of_permissions_and_groups_pass_axe(admin_page, live_server, path):
    """Django's picker of two lists (filter_horizontal: a group's permissions, an account's groups and
    permissions) labels the magnifier beside each filter box with an aria-label on a plain span, which
    ARIA forbids (axe: aria-prohibited-attr): the span is named as the image it is."""
    page = admin_page
    page.goto(f"{live_server.url}/quan-tri/{path.format(pk=User.objects.get(username='quantri').pk)}")
    icons = page.locator(".selector .search-label-icon")
    icons.first.wait_for(state="attached")
    assert icons.count() >= 2
    check(page)
