"""A procedure's list that hangs on a province (the receiving agency of "Chuyển nơi hưởng", the ward
of "Điều chỉnh thông tin liên hệ") follows the province chosen as the registration's ward list does:
with JavaScript as soon as the province changes, without reloading the page, by the same script
(static/js/refresh-list.js) and the same button (templates/includes/refresh_list.html), the button
hidden and its hint no longer asking for it; without JavaScript by that button. Before, a citizen
with JavaScript had to find and press the button on a procedure's form."""

import pytest

from lookup.models import Province
from tests.e2e.test_public_services_journey import logged_in_page
from tests.public_services.helpers import citizen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = "/dich-vu-cong/chuyen-noi-huong/"
BUTTON = "Cập nhật danh sách cơ quan BHXH"
# Counts the lists asked of the server (refresh-list.js asks with fetch, at once on the event it
# follows), so that what was not asked reads as surely as what was, with no waiting.
COUNT_ASKED = """window.asked = 0; var fetched = window.fetch;
window.fetch = function () { window.asked++; return fetched.apply(this, arguments); };"""
PROVINCE, AGENCY = "Tỉnh/thành phố nơi muốn nhận", "Cơ quan BHXH nơi muốn nhận"
REASON = "Lý do chuyển nơi hưởng"


def agencies(page) -> list[str]:
    return page.get_by_label(AGENCY).locator("option").all_inner_texts()


@pytest.fixture
def page_of(browser, live_server, reference_data):
    """A page of a new browser context, JavaScript on or off, logged in as a citizen granted a monthly
    allowance (the procedure is open to him), on the procedure's form."""
    user, contexts = citizen(), []

    def make(javascript=True):
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        context.add_init_script(COUNT_ASKED)
        page = logged_in_page(context, live_server, user)
        page.goto(live_server.url + PAGE, wait_until="networkidle")
        return page

    yield make
    for context in contexts:
        context.close()


def test_the_agency_list_follows_the_province_as_soon_as_it_changes(page_of, live_server):
    page = page_of()
    assert not page.get_by_role("button", name=BUTTON).is_visible()
    assert page.locator("#id_new_agency_helptext").inner_text() == "Danh sách theo tỉnh/thành phố đã chọn."
    assert page.evaluate("window.asked") == 0  # a page as the server sent it needs no refresh
    page.evaluate("window.samePage = true")  # gone if the page were loaded again
    page.get_by_label(REASON).fill("Chuyển về ở với con gái")
    page.get_by_label(PROVINCE).focus()

    page.get_by_label(PROVINCE).select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_label(AGENCY).select_option(label="[07902] BHXH Quận 12")  # waits for the option to come
    page.get_by_label(PROVINCE).select_option(label="Thành phố Hà Nội")
    page.get_by_label(AGENCY).locator("option", has_text="BHXH cơ sở Cầu Giấy").wait_for(state="attached")
    assert "[07902] BHXH Quận 12" not in agencies(page)
    assert page.get_by_label(AGENCY).input_value() == ""  # the agency of the other province is not kept

    assert page.evaluate("window.samePage") is True and page.url == live_server.url + PAGE
    assert page.get_by_label(REASON).input_value() == "Chuyển về ở với con gái"
    assert page.evaluate("document.activeElement.id") == "id_new_province"  # where the citizen left it
    assert not page.get_by_role("button", name=BUTTON).is_visible()
    assert page.console_errors == []  # no script refused by the content security policy


def test_without_javascript_the_button_refreshes_the_agency_list(page_of):
    page = page_of(javascript=False)
    assert "đổi tỉnh thì bấm “Cập nhật danh sách cơ quan BHXH”" in page.locator("#id_new_agency_helptext").inner_text()
    page.get_by_label(REASON).fill("Chuyển về ở với con gái")
    page.get_by_label(PROVINCE).select_option(label="Thành phố Hồ Chí Minh")
    assert "[07902] BHXH Quận 12" not in agencies(page)

    page.get_by_role("button", name=BUTTON).click()
    page.wait_for_url("**" + PAGE + "#id_new_agency")
    assert "[07902] BHXH Quận 12" in agencies(page)
    assert page.get_by_label(PROVINCE).locator("option:checked").inner_text() == "Thành phố Hồ Chí Minh"
    assert page.get_by_label(REASON).input_value() == "Chuyển về ở với con gái"


def test_a_page_shown_again_with_a_province_put_back_brings_its_agencies(page_of):
    """A page restored from the back-forward cache, whose province the browser put back without a
    `change`: on `pageshow` the list is refreshed, once, for the province as it now stands."""
    page = page_of()
    hanoi = Province.objects.get(code="01").pk
    page.get_by_label(REASON).fill("Chuyển về ở với con gái")
    page.evaluate("id => { document.getElementById('id_new_province').value = String(id); }", hanoi)
    assert page.evaluate("window.asked") == 0  # no `change`: nothing asked
    assert "[00101] BHXH cơ sở Cầu Giấy" not in agencies(page)

    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    assert page.evaluate("window.asked") == 1
    page.get_by_label(AGENCY).locator("option", has_text="BHXH cơ sở Cầu Giấy").wait_for(state="attached")
    assert "[07902] BHXH Quận 12" not in agencies(page)
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    assert page.evaluate("window.asked") == 1  # the list is the province's now: not asked again
    assert page.get_by_label(REASON).input_value() == "Chuyển về ở với con gái"
    assert not page.get_by_role("button", name=BUTTON).is_visible()
    assert page.console_errors == []


def test_the_agency_chosen_is_kept_on_coming_back(page_of, live_server):
    """Left by a link and come back to by Back, the page is loaded again (no-store: the browser keeps
    no copy), with the list the server sends for the province it knows; the browser puts back the
    province and the reason, and the agency chosen comes back too, in the list refreshed for that
    province. Before, the agency came back empty: the browser could not put it back in a list without it."""
    page = page_of()
    page.get_by_label(REASON).fill("Chuyển về ở với con gái")
    page.get_by_label(PROVINCE).select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_label(AGENCY).select_option(label="[07902] BHXH Quận 12")  # waits for the option to come
    page.goto(live_server.url + "/ho-tro/")

    page.go_back(wait_until="networkidle")
    # The server kept nothing of the script's refresh: the page came with no province's agencies, and
    # the list was refreshed for the province the browser put back, the agency chosen again from the
    # page's history entry (history.state).
    assert page.evaluate("window.asked") == 1
    assert page.get_by_label(PROVINCE).locator("option:checked").inner_text() == "Thành phố Hồ Chí Minh"
    assert page.get_by_label(AGENCY).locator("option:checked").inner_text() == "[07902] BHXH Quận 12"
    assert page.get_by_label(REASON).input_value() == "Chuyển về ở với con gái"
    assert not page.get_by_role("button", name=BUTTON).is_visible()
    assert page.console_errors == []


def test_the_scripts_refresh_leaves_no_snapshot_to_come_back_later(page_of, live_server):
    """The script's refresh is the button's post marked as the script's, which keeps nothing: the
    form opened again from the menu never shows what was typed when the province changed. Before,
    each change kept a snapshot, which came back out of date: the reason as it was before being
    corrected, the agency chosen after it empty."""
    page = page_of()
    page.get_by_label(REASON).fill("Chuyen ve o voi con gai")  # a typo, then the province
    page.get_by_label(PROVINCE).select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_label(AGENCY).select_option(label="[07902] BHXH Quận 12")  # waits for the option to come
    assert page.evaluate("window.asked") == 1
    page.get_by_label(REASON).fill("Chuyển về ở với con gái")  # corrected
    page.goto(live_server.url + "/ho-tro/")

    page.goto(live_server.url + PAGE, wait_until="networkidle")  # from the menu, not by Back
    assert page.get_by_label(REASON).input_value() != "Chuyen ve o voi con gai"
    assert page.get_by_label(PROVINCE).locator("option:checked").inner_text() != "Thành phố Hồ Chí Minh"
    assert page.evaluate("window.asked") == 0


def test_without_javascript_the_agency_chosen_is_kept_on_coming_back(page_of, live_server):
    """Without JavaScript the button's post answers with the page by a GET, the province and what was
    typed kept by the server: Back comes to that page, loaded again with the province's agencies, and the
    browser puts back the agency chosen. Before, Back came to the post, which Chromium would only send
    again (ERR_CACHE_MISS, "Confirm Form Resubmission")."""
    page = page_of(javascript=False)
    page.get_by_label(REASON).fill("Chuyển về ở với con gái")
    page.get_by_label(PROVINCE).select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_role("button", name=BUTTON).click()
    page.wait_for_url("**" + PAGE + "#id_new_agency")
    page.get_by_label(AGENCY).select_option(label="[07902] BHXH Quận 12")
    page.goto(live_server.url + "/ho-tro/")

    page.go_back()
    assert page.url == live_server.url + PAGE + "#id_new_agency"
    assert page.get_by_label(PROVINCE).locator("option:checked").inner_text() == "Thành phố Hồ Chí Minh"
    assert page.get_by_label(AGENCY).locator("option:checked").inner_text() == "[07902] BHXH Quận 12"
    assert page.get_by_label(REASON).input_value() == "Chuyển về ở với con gái"


CONTACT = "/dich-vu-cong/dieu-chinh-thong-tin-lien-he/"
NEW_PROVINCE, NEW_WARD = "Tỉnh/thành phố (địa chỉ liên hệ mới)", "Phường/xã (địa chỉ liên hệ mới)"
NEW_STREET, WARD_BUTTON = "Số nhà, đường/thôn/xóm (địa chỉ liên hệ mới)", "Cập nhật danh sách phường/xã"


def test_the_contact_changes_ward_chosen_is_kept_on_coming_back(page_of, live_server):
    """The contact change's ward list, as the agency's above: the ward chosen comes back by Back."""
    page = page_of()
    page.goto(live_server.url + CONTACT, wait_until="networkidle")
    page.get_by_label("Địa chỉ liên hệ", exact=True).check()
    page.get_by_label(NEW_STREET).fill("12 Hàng Bài")
    page.get_by_label(NEW_PROVINCE).select_option(label="Thành phố Hà Nội")  # the registry's is Hồ Chí Minh
    page.get_by_label(NEW_WARD).select_option(label="Phường Hoàn Kiếm")  # waits for the option to come
    page.goto(live_server.url + "/ho-tro/")

    page.go_back(wait_until="networkidle")
    assert page.evaluate("window.asked") == 1  # the list refreshed for the province put back
    assert page.get_by_label(NEW_PROVINCE).locator("option:checked").inner_text() == "Thành phố Hà Nội"
    assert page.get_by_label(NEW_WARD).locator("option:checked").inner_text() == "Phường Hoàn Kiếm"
    assert page.get_by_label(NEW_STREET).input_value() == "12 Hàng Bài"
    assert page.console_errors == []


def test_without_javascript_the_contact_changes_ward_chosen_is_kept_on_coming_back(page_of, live_server):
    page = page_of(javascript=False)
    page.goto(live_server.url + CONTACT)
    page.get_by_label("Địa chỉ liên hệ", exact=True).check()
    page.get_by_label(NEW_STREET).fill("12 Hàng Bài")
    page.get_by_label(NEW_PROVINCE).select_option(label="Thành phố Hà Nội")
    page.get_by_role("button", name=WARD_BUTTON).click()
    page.wait_for_url("**" + CONTACT + "#id_new_ward")
    page.get_by_label(NEW_WARD).select_option(label="Phường Hoàn Kiếm")
    page.goto(live_server.url + "/ho-tro/")

    page.go_back()
    assert page.get_by_label(NEW_PROVINCE).locator("option:checked").inner_text() == "Thành phố Hà Nội"
    assert page.get_by_label(NEW_WARD).locator("option:checked").inner_text() == "Phường Hoàn Kiếm"
    assert page.get_by_label(NEW_STREET).input_value() == "12 Hàng Bài"
    assert page.get_by_label("Địa chỉ liên hệ", exact=True).is_checked()


def test_the_contact_changes_ward_list_follows_the_province_as_soon_as_it_changes(page_of, live_server):
    page = page_of()
    page.goto(live_server.url + CONTACT, wait_until="networkidle")
    assert not page.get_by_role("button", name=WARD_BUTTON).is_visible()
    assert page.locator("#id_new_ward_helptext").inner_text() == "Danh sách theo tỉnh/thành phố đã chọn."
    assert page.evaluate("window.asked") == 0  # a page as the server sent it needs no refresh
    page.evaluate("window.samePage = true")  # gone if the page were loaded again
    page.get_by_label("Địa chỉ liên hệ", exact=True).check()
    page.get_by_label(NEW_STREET).fill("12 Hàng Bài")
    assert "Phường Sài Gòn" in page.get_by_label(NEW_WARD).locator("option").all_inner_texts()  # the registry's province
    page.get_by_label(NEW_PROVINCE).focus()

    page.get_by_label(NEW_PROVINCE).select_option(label="Thành phố Hà Nội")
    page.get_by_label(NEW_WARD).locator("option", has_text="Phường Hoàn Kiếm").wait_for(state="attached")
    assert "Phường Sài Gòn" not in page.get_by_label(NEW_WARD).locator("option").all_inner_texts()
    assert page.evaluate("window.samePage") is True and page.url == live_server.url + CONTACT
    assert page.get_by_label(NEW_STREET).input_value() == "12 Hàng Bài"
    assert page.get_by_label("Địa chỉ liên hệ", exact=True).is_checked()
    assert page.evaluate("document.activeElement.id") == "id_new_province"
    assert not page.get_by_role("button", name=WARD_BUTTON).is_visible()
    assert page.console_errors == []


def test_without_javascript_the_button_refreshes_the_contact_changes_ward_list(page_of, live_server):
    page = page_of(javascript=False)
    page.goto(live_server.url + CONTACT)
    assert "đổi tỉnh thì bấm “Cập nhật danh sách phường/xã”" in page.locator("#id_new_ward_helptext").inner_text()
    page.get_by_label("Địa chỉ liên hệ", exact=True).check()
    page.get_by_label(NEW_STREET).fill("12 Hàng Bài")
    page.get_by_label(NEW_PROVINCE).select_option(label="Thành phố Hà Nội")
    assert "Phường Hoàn Kiếm" not in page.get_by_label(NEW_WARD).locator("option").all_inner_texts()

    page.get_by_role("button", name=WARD_BUTTON).click()
    page.wait_for_url("**" + CONTACT + "#id_new_ward")
    wards = page.get_by_label(NEW_WARD).locator("option").all_inner_texts()
    assert "Phường Hoàn Kiếm" in wards and "Phường Sài Gòn" not in wards
    assert page.get_by_label(NEW_PROVINCE).locator("option:checked").inner_text() == "Thành phố Hà Nội"
    assert page.get_by_label(NEW_STREET).input_value() == "12 Hàng Bài"
    assert page.get_by_label("Địa chỉ liên hệ", exact=True).is_checked()
