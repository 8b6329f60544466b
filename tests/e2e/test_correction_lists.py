"""A returned filing's correction page has the lists of its procedure's form, following the province
as on a new filing's form (tests/e2e/test_procedure_lists.py): the receiving agency of "Chuyển nơi
hưởng" and the ward of the contact change, with JavaScript as soon as the province changes (the
button hidden, what was typed kept, the page not loaded again), without JavaScript by the button,
which shows the page again with the province's list and what was typed."""

import pytest

from public_services.services import filing_receive, filing_return
from tests.accounts.helpers import officer
from tests.e2e.test_procedure_lists import COUNT_ASKED
from tests.e2e.test_public_services_journey import logged_in_page
from tests.public_services.helpers import PROVINCE, citizen, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The procedure's code: its province and list labels, the button, the box typed in, the list's
# choice of the province stored (Hồ Chí Minh) and one of Hà Nội's.
LISTS = {
    "CHUYEN-NOI-HUONG": ("Tỉnh/thành phố nơi muốn nhận", "Cơ quan BHXH nơi muốn nhận",
                         "Cập nhật danh sách cơ quan BHXH", "Địa chỉ nơi ở mới", "[07902] BHXH Quận 12",
                         "BHXH cơ sở Cầu Giấy", "id_new_agency"),
    "DOI-LIEN-HE": ("Tỉnh/thành phố (địa chỉ liên hệ mới)", "Phường/xã (địa chỉ liên hệ mới)",
                    "Cập nhật danh sách phường/xã", "Số nhà, đường/thôn/xóm (địa chỉ liên hệ mới)",
                    "Phường Sài Gòn", "Phường Hoàn Kiếm", "id_new_ward"),
}


@pytest.fixture
def correction_page(browser, live_server, reference_data):
    """A page of a new browser context, JavaScript on or off, on the correction page of the citizen's
    filing of `code`, returned by the province's officer."""
    user, staff, contexts = citizen(), officer("canbo079", "079", PROVINCE), []

    def make(code, javascript=True):
        filing = submit(user, code)
        filing_receive(filing=filing, officer=staff)
        filing_return(filing=filing, officer=staff, what="Ghi rõ địa chỉ mới.")
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        context.add_init_script(COUNT_ASKED)
        page = logged_in_page(context, live_server, user)
        page.url_of_form = f"{live_server.url}/dich-vu-cong/ho-so/{filing.pk}/sua/"
        page.goto(page.url_of_form, wait_until="networkidle")
        assert "Ghi rõ địa chỉ mới." in page.content()
        return page

    yield make
    for context in contexts:
        context.close()


def options(page, label) -> list[str]:
    return page.get_by_label(label).locator("option").all_inner_texts()


@pytest.mark.parametrize("code", LISTS)
def test_the_list_follows_the_province_as_soon_as_it_changes(correction_page, code):
    province, listed, button, box, stored, other, _ = LISTS[code]
    page = correction_page(code)
    assert page.get_by_label(listed).locator("option:checked").inner_text() == stored  # the filing's answer
    assert not page.get_by_role("button", name=button).is_visible()
    assert page.evaluate("window.asked") == 0
    page.evaluate("window.samePage = true")  # gone if the page were loaded again
    page.get_by_label(box).fill("12 Hàng Bài")

    page.get_by_label(province).select_option(label="Thành phố Hà Nội")
    page.get_by_label(listed).locator("option", has_text=other).wait_for(state="attached")
    assert stored not in options(page, listed)
    assert page.get_by_label(listed).input_value() == ""  # the other province's is not kept
    assert page.evaluate("window.samePage") is True and page.url == page.url_of_form
    assert page.get_by_label(box).input_value() == "12 Hàng Bài"
    assert not page.get_by_role("button", name=button).is_visible()
    assert page.console_errors == []


@pytest.mark.parametrize("code", LISTS)
def test_without_javascript_the_button_refreshes_the_list(correction_page, code):
    province, listed, button, box, stored, other, list_id = LISTS[code]
    page = correction_page(code, javascript=False)
    assert other not in options(page, listed)
    page.get_by_label(box).fill("12 Hàng Bài")
    page.get_by_label(province).select_option(label="Thành phố Hà Nội")

    page.get_by_role("button", name=button).click()
    page.wait_for_url(page.url_of_form + "#" + list_id)
    assert any(other in option for option in options(page, listed)) and stored not in options(page, listed)
    assert page.get_by_label(province).locator("option:checked").inner_text() == "Thành phố Hà Nội"
    assert page.get_by_label(box).input_value() == "12 Hàng Bài"
    assert "Ghi rõ địa chỉ mới." in page.content()  # still the correction page of the filing


@pytest.mark.parametrize("code", LISTS)
def test_the_choice_is_kept_on_coming_back(correction_page, live_server, code):
    """Left by a link and come back to by Back, the correction page is loaded again (no-store) with the
    list the server makes for the filing's stored province (Hồ Chí Minh); the browser puts back Hà Nội
    and what was typed, the list is refreshed for Hà Nội, once, and its choice made again from the
    page's history entry (history.state). Without it, the choice came back empty."""
    province, listed, button, box, stored, other, _ = LISTS[code]
    page = correction_page(code)
    page.get_by_label(box).fill("12 Hàng Bài")
    page.get_by_label(province).select_option(label="Thành phố Hà Nội")
    page.get_by_label(listed).locator("option", has_text=other).wait_for(state="attached")
    choice = next(option for option in options(page, listed) if other in option)
    page.get_by_label(listed).select_option(label=choice)
    page.goto(live_server.url + "/ho-tro/")

    page.go_back(wait_until="networkidle")
    assert page.evaluate("window.asked") == 1
    assert page.get_by_label(province).locator("option:checked").inner_text() == "Thành phố Hà Nội"
    assert page.get_by_label(listed).locator("option:checked").inner_text() == choice
    assert page.get_by_label(box).input_value() == "12 Hàng Bài"
    assert not page.get_by_role("button", name=button).is_visible()
    assert page.console_errors == []


@pytest.mark.parametrize("code", LISTS)
def test_without_javascript_the_choice_is_kept_on_coming_back(correction_page, live_server, code):
    """Without JavaScript the button's post answers with the correction page by a GET, what was typed
    kept by the server for this filing: Back comes to that page, loaded again with the province's list,
    and the browser puts back the choice made in it. Before, the post answered with the page itself,
    and Back came to the post, which Chromium would only send again (ERR_CACHE_MISS, "Confirm Form
    Resubmission")."""
    province, listed, button, box, stored, other, list_id = LISTS[code]
    page = correction_page(code, javascript=False)
    page.get_by_label(box).fill("12 Hàng Bài")
    page.get_by_label(province).select_option(label="Thành phố Hà Nội")
    page.get_by_role("button", name=button).click()
    page.wait_for_url(page.url_of_form + "#" + list_id)
    choice = next(option for option in options(page, listed) if other in option)
    page.get_by_label(listed).select_option(label=choice)
    page.goto(live_server.url + "/ho-tro/")

    page.go_back()
    assert page.url == page.url_of_form + "#" + list_id
    assert "Ghi rõ địa chỉ mới." in page.content()  # the correction page, not Chromium's error
    assert page.get_by_label(province).locator("option:checked").inner_text() == "Thành phố Hà Nội"
    assert page.get_by_label(listed).locator("option:checked").inner_text() == choice
    assert page.get_by_label(box).input_value() == "12 Hàng Bài"
