"""The registration's ward list follows the province chosen: with JavaScript as soon as the province
changes, without reloading the page (static/js/refresh-list.js, no inline script under the CSP),
its "update the list" button hidden and its hint no longer asking for it; without JavaScript by
that button. Before, a citizen with JavaScript had to find and press the button too."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUTTON = "Cập nhật danh sách phường/xã"


def options(page) -> list[str]:
    return page.get_by_label("Phường/xã").locator("option").all_inner_texts()


def test_the_ward_list_follows_the_province_as_soon_as_it_changes(browser, live_server, reference_data):
    context = browser.new_context()
    page = context.new_page()
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.goto(live_server.url + "/dang-ky/")
    assert not page.get_by_role("button", name=BUTTON).is_visible()
    assert page.locator("#id_ward_helptext").inner_text() == "Danh sách theo tỉnh/thành phố đã chọn."
    page.evaluate("window.samePage = true")  # gone if the page were loaded again
    page.get_by_label("Họ và tên").fill("Nguyễn Văn Đức")
    page.get_by_label("Tỉnh/thành phố").focus()

    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_label("Phường/xã").select_option(label="Phường Sài Gòn")  # waits for the option to come
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hà Nội")
    page.get_by_label("Phường/xã").locator("option", has_text="Phường Hoàn Kiếm").wait_for(state="attached")
    assert "Phường Sài Gòn" not in options(page)
    assert page.get_by_label("Phường/xã").input_value() == ""  # the ward of the other province is not kept

    assert page.evaluate("window.samePage") is True and page.url == live_server.url + "/dang-ky/"
    assert page.get_by_label("Họ và tên").input_value() == "Nguyễn Văn Đức"
    assert page.evaluate("document.activeElement.id") == "id_province"  # where the citizen left it
    assert console_errors == []  # no script refused by the content security policy
    context.close()


def test_without_javascript_the_button_refreshes_the_ward_list(browser, live_server, reference_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/dang-ky/")
    assert "đổi tỉnh thì bấm “Cập nhật danh sách phường/xã”" in page.locator("#id_ward_helptext").inner_text()
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hồ Chí Minh")
    assert "Phường Sài Gòn" not in options(page)
    page.get_by_role("button", name=BUTTON).click()
    page.wait_for_url("**/dang-ky/#id_ward")
    assert "Phường Sài Gòn" in options(page)
    context.close()


def test_a_list_not_refreshed_brings_the_button_back_and_its_hint_asks_for_it(browser, live_server, reference_data):
    """The server not answering the script (a limit, an outage, the network): the list stays the one
    for the province before, so the button comes back and the hint asks for it again, instead of
    saying the list follows the province chosen; once a refresh comes, the hint says so again."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + "/dang-ky/", wait_until="networkidle")
    page.route("**/dang-ky/**", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_role("button", name=BUTTON).wait_for(state="visible")
    assert "Phường Sài Gòn" not in options(page)
    assert "đổi tỉnh thì bấm “Cập nhật danh sách phường/xã”" in page.locator("#id_ward_helptext").inner_text()

    page.unroute("**/dang-ky/**")
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hà Nội")
    page.get_by_label("Phường/xã").locator("option", has_text="Phường Hoàn Kiếm").wait_for(state="attached")
    assert page.locator("#id_ward_helptext").inner_text() == "Danh sách theo tỉnh/thành phố đã chọn."
    context.close()



def test_a_province_the_browser_puts_back_on_back_brings_its_wards(browser, live_server, reference_data):
    """Back to the page (or loading it again), the browser puts back the province chosen without
    telling the page it changed (no `change`): the ward list is refreshed for it once, as a change
    would, and the ward chosen is chosen again in it. Before, the list stayed the one the server sent
    for no province, the button hidden and the hint saying the list follows the province; then the
    ward came back empty."""
    context = browser.new_context()
    page = context.new_page()
    posted = []
    page.on("request", lambda request: request.method == "POST" and posted.append(request.url))
    page.goto(live_server.url + "/dang-ky/", wait_until="networkidle")
    assert posted == []  # a page as the server sent it needs no refresh
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_label("Phường/xã").select_option(label="Phường Sài Gòn")  # waits for the option to come
    page.goto(live_server.url + "/ho-tro/")

    page.go_back()
    assert page.get_by_label("Tỉnh/thành phố").locator("option:checked").inner_text() == "Thành phố Hồ Chí Minh"
    page.get_by_label("Phường/xã").locator("option", has_text="Phường Sài Gòn").wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    # the ward chosen too, which the browser could not put back in the list sent for no province
    assert page.get_by_label("Phường/xã").locator("option:checked").inner_text() == "Phường Sài Gòn"
    assert not page.get_by_role("button", name=BUTTON).is_visible()
    context.close()


def test_without_javascript_the_ward_chosen_is_kept_on_coming_back(browser, live_server, reference_data):
    """A registration in progress has a session, whose pages are no-store: without JavaScript the
    button's post answers with step 1 by a GET, what was typed kept in the registration's session, so
    that Back comes to that page, loaded again with the province's wards, and the browser puts back
    the ward chosen. Before, the post answered with the page itself, and Back came to the post, which
    Chromium would only send again (ERR_CACHE_MISS, "Confirm Form Resubmission")."""
    from tests.accounts.helpers import make_person
    from tests.e2e.test_registration_journey import fill_declaration

    make_person()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/dang-ky/")
    fill_declaration(page)
    page.get_by_label("Số điện thoại di động").fill("0987654321")
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/dang-ky/anh/")
    page.goto(live_server.url + "/dang-ky/")  # back to step 1 to change the address
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hà Nội")
    page.get_by_label("Số nhà, đường/thôn/xóm").fill("12 Hàng Bài")
    page.get_by_role("button", name=BUTTON).click()
    page.wait_for_url("**/dang-ky/#id_ward")
    page.get_by_label("Phường/xã").select_option(label="Phường Hoàn Kiếm")
    page.goto(live_server.url + "/ho-tro/")

    page.go_back()
    assert page.url == live_server.url + "/dang-ky/#id_ward"
    assert page.get_by_label("Tỉnh/thành phố").locator("option:checked").inner_text() == "Thành phố Hà Nội"
    assert page.get_by_label("Phường/xã").locator("option:checked").inner_text() == "Phường Hoàn Kiếm"
    assert page.get_by_label("Số nhà, đường/thôn/xóm").input_value() == "12 Hàng Bài"
    assert page.get_by_label("Họ và tên").input_value() == "Nguyễn Văn Đức"
    context.close()
