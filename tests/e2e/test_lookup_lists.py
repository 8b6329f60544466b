"""The public collection-point lookup's ward list follows the province chosen as the procedures' and
the registration's lists do, by the same script (static/js/refresh-list.js) and the same button
(templates/includes/refresh_list.html) in its GET form: with JavaScript as soon as the province
changes, without reloading the page or searching, the button hidden; without JavaScript by the button,
which shows the page again with the province's wards and what was typed, nothing searched. Before,
the list followed the province only after "Tìm"."""

import pytest

from tests.e2e.test_procedure_lists import COUNT_ASKED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = "/tra-cuu/diem-thu/"
BUTTON = "Cập nhật danh sách phường/xã"
QUERY = "Tên hoặc địa chỉ điểm thu"


def wards(page) -> list[str]:
    return page.get_by_label("Phường/xã").locator("option").all_inner_texts()


def results(page) -> list[str]:
    return page.locator(".results h2").all_inner_texts()


@pytest.fixture
def page_of(browser, live_server, reference_data):
    contexts = []

    def make(javascript=True):
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        context.add_init_script(COUNT_ASKED)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
        page.goto(live_server.url + PAGE, wait_until="networkidle")
        return page

    yield make
    for context in contexts:
        context.close()


def test_the_ward_list_follows_the_province_as_soon_as_it_changes(page_of, live_server):
    page = page_of()
    assert not page.get_by_role("button", name=BUTTON).is_visible()
    assert page.locator("#id_ward_helptext").inner_text() == "Danh sách theo tỉnh/thành phố đã chọn."
    assert page.evaluate("window.asked") == 0
    page.evaluate("window.samePage = true")  # gone if the page were loaded again
    page.get_by_label(QUERY).fill("buu cuc")
    page.get_by_label("Tỉnh/thành phố").focus()

    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_label("Phường/xã").select_option(label="Phường Sài Gòn")  # waits for the option to come
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hà Nội")
    page.get_by_label("Phường/xã").locator("option", has_text="Phường Hoàn Kiếm").wait_for(state="attached")
    assert "Phường Sài Gòn" not in wards(page)
    assert page.get_by_label("Phường/xã").input_value() == ""  # the ward of the other province is not kept
    assert page.evaluate("window.samePage") is True and page.url == live_server.url + PAGE  # nothing searched
    assert page.get_by_label(QUERY).input_value() == "buu cuc"
    assert page.evaluate("document.activeElement.id") == "id_province"
    assert not page.get_by_role("button", name=BUTTON).is_visible()

    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_label("Phường/xã").select_option(label="Phường Sài Gòn")
    page.get_by_label(QUERY).fill("")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_url("**" + PAGE + "?*ward=*")
    assert "Bưu cục Sài Gòn" in results(page)
    assert page.get_by_label("Phường/xã").locator("option:checked").inner_text() == "Phường Sài Gòn"
    assert page.console_errors == []  # no script refused by the content security policy


def test_without_javascript_the_button_refreshes_the_ward_list(page_of, live_server):
    page = page_of(javascript=False)
    assert "đổi tỉnh thì bấm “Cập nhật danh sách phường/xã”" in page.locator("#id_ward_helptext").inner_text()
    page.get_by_label(QUERY).fill("buu cuc")
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hồ Chí Minh")
    assert "Phường Sài Gòn" not in wards(page)

    page.get_by_role("button", name=BUTTON).click()
    page.wait_for_url("**" + PAGE + "?*#id_ward")
    assert "Phường Sài Gòn" in wards(page)
    assert page.get_by_label("Tỉnh/thành phố").locator("option:checked").inner_text() == "Thành phố Hồ Chí Minh"
    assert page.get_by_label(QUERY).input_value() == "buu cuc"
    assert results(page) == [] and page.locator(".result-count").count() == 0  # nothing searched yet

    page.get_by_label("Phường/xã").select_option(label="Phường Sài Gòn")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_url("**" + PAGE + "?*ward=*")
    assert "Bưu cục Sài Gòn" in results(page) and "cap-nhat" not in page.url
    assert page.get_by_label("Phường/xã").locator("option:checked").inner_text() == "Phường Sài Gòn"


def test_enter_in_the_query_searches_rather_than_refreshing_the_list(page_of, live_server):
    page = page_of(javascript=False)
    page.get_by_label(QUERY).fill("buu cuc sai gon")
    page.get_by_label(QUERY).press("Enter")
    page.wait_for_url("**" + PAGE + "?*q=*")
    assert "cap-nhat" not in page.url and "Bưu cục Sài Gòn" in results(page)
