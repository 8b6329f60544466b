"""Every public lookup in Chromium on a 360 px phone screen: the hub, agencies, KCB facilities
and the sick-leave list, employers, collection points by province then ward, and the BHXH-code
lookup whose challenge the page's own proof of work solves. Then the "Hỗ trợ" pages (FAQ search,
news, feedback sent and followed). axe-core finds nothing on any page, no page scrolls sideways,
no script breaks the content security policy."""

import datetime
import inspect
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.models import CodeLookupAudit
from public_services.models import Feedback
from tests.accounts.helpers import make_person
from tests.e2e.screens import NARROWEST, PHONE, scrolls_sideways

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server, reference_data):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def check(page, heading):
    """The page's heading, no axe violation, no sideways scroll (nor at 320 px), no console (CSP) error."""
    assert page.locator("h1").first.inner_text() == heading, page.url
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    assert not scrolls_sideways(page), f"{page.url} scrolls sideways"
    page.set_viewport_size(NARROWEST)
    try:
        assert not scrolls_sideways(page), f"{page.url} scrolls sideways at 320 px"
    finally:
        page.set_viewport_size(PHONE)
    assert page.console_errors == [], page.url


def search(page, query="", **selects):
    for label, value in selects.items():
        page.get_by_label(label, exact=True).select_option(label=value)
    if query is not None:
        page.get_by_role("searchbox").fill(query)
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_load_state()


def result_titles(page) -> list[str]:
    return page.locator(".results > li h2").all_inner_texts()


def test_every_lookup_on_a_phone(phone, live_server):
    page = phone
    page.goto(live_server.url + "/tra-cuu/")
    check(page, "Tra cứu")

    page.get_by_role("link", name="Cơ quan BHXH", exact=True).click()
    check(page, "Cơ quan BHXH")
    search(page, "phu nhuan", **{"Tỉnh/thành phố": "Thành phố Hồ Chí Minh"})
    assert "BHXH Phú Nhuận" in result_titles(page)
    assert page.get_by_text("(028) 3002.3434").is_visible() and page.get_by_text("Giờ làm việc").first.is_visible()
    check(page, "Cơ quan BHXH")

    page.goto(live_server.url + "/tra-cuu/")
    page.get_by_role("link", name="Cơ sở khám chữa bệnh", exact=True).click()
    check(page, "Cơ sở khám chữa bệnh BHYT")
    search(page, "BENH VIEN CHO RAY")
    assert result_titles(page) == ["Bệnh viện Chợ Rẫy"] and page.get_by_text("79 - 001").is_visible()
    search(page, "", **{"Tuyến": "Tuyến cơ sở"})
    assert "kết quả (trang 1/" in page.locator(".result-count").inner_text()
    page.get_by_role("link", name="Trang 2", exact=True).click()
    page.wait_for_url("**trang=2")
    assert page.locator('.pagination [aria-current="page"]').inner_text().endswith("2")
    assert page.get_by_label("Tuyến", exact=True).input_value() == "co_so"  # the filter survives paging
    check(page, "Cơ sở khám chữa bệnh BHYT")
    page.get_by_role("link", name="Danh sách cơ sở KCB được cấp giấy nghỉ việc hưởng BHXH").click()
    check(page, "Cơ sở KCB được cấp giấy nghỉ việc hưởng BHXH")
    assert page.get_by_text("Không cấp", exact=True).count() == 0

    page.goto(live_server.url + "/tra-cuu/don-vi/")
    check(page, "Đơn vị tham gia BHXH")
    search(page, "det may nam viet")
    assert result_titles(page) == ["Công ty TNHH Dệt may Nam Việt (dữ liệu mẫu)"]
    assert page.get_by_text("Đang nợ đóng").is_visible()
    check(page, "Đơn vị tham gia BHXH")

    page.goto(live_server.url + "/tra-cuu/diem-thu/")
    check(page, "Điểm thu BHXH, BHYT")
    search(page, None, **{"Tỉnh/thành phố": "Thành phố Hồ Chí Minh"})
    search(page, None, **{"Phường/xã": "Phường Sài Gòn"})
    assert "Bưu cục Sài Gòn" in result_titles(page)
    assert all(text == "Phường Sài Gòn" for text in page.locator(".results dt:text-is('Phường/xã') + dd").all_inner_texts())
    check(page, "Điểm thu BHXH, BHYT")


def test_the_bhxh_code_lookup_solves_its_challenge_in_the_page(phone, live_server):
    make_person("7901234567", "Nguyễn Văn Đức", birth=datetime.date(1988, 3, 15), id_number="079088012345")
    page = phone
    page.goto(live_server.url + "/tra-cuu/")
    page.get_by_role("link", name="Mã số BHXH", exact=True).click()
    check(page, "Tra cứu mã số BHXH")
    page.locator("[data-pow-token][data-solved]").wait_for(state="attached", timeout=30_000)
    assert page.locator(".challenge__question").is_hidden()  # solved: the arithmetic question goes away
    assert page.locator("[data-pow-status]").inner_text().startswith("Trình duyệt đã được xác minh")
    page.get_by_label("Họ và tên").fill("nguyen van duc")
    page.get_by_label("Ngày sinh").fill("15/03/1988")
    page.get_by_label("Tỉnh/thành phố nơi cư trú").select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_label("Số giấy tờ").fill("079088012345")
    page.get_by_role("button", name="Tra cứu", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".code-answer").inner_text() == "7901234567"
    assert page.get_by_text("NGUYỄN V*** Đ***").is_visible()
    check(page, "Tra cứu mã số BHXH")
    assert CodeLookupAudit.objects.count() == 1


def fill_code_lookup(page):
    page.get_by_label("Họ và tên").fill("nguyen van duc")
    page.get_by_label("Ngày sinh").fill("15/03/1988")
    page.get_by_label("Tỉnh/thành phố nơi cư trú").select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_label("Số giấy tờ").fill("079088012345")


def test_a_failed_check_of_the_bhxh_code_lookup_shows_the_question_its_message_points_at(phone, live_server, browser):
    """A check that failed (the page was left open more than 10 minutes, or sent twice) comes back
    with a new question, the message beside it and the summary's link to it: all in sight, with
    JavaScript as without, and nothing on the page says the question need not be answered. With
    JavaScript the browser's work still lets the next search through unanswered."""
    make_person("7901234567", "Nguyễn Văn Đức", birth=datetime.date(1988, 3, 15), id_number="079088012345")
    failed = "Câu trả lời kiểm tra chưa đúng hoặc đã hết hạn. Hãy trả lời câu hỏi mới bên dưới."
    page = phone
    page.goto(live_server.url + "/tra-cuu/ma-so-bhxh/")
    page.locator("[data-pow-token][data-solved]").wait_for(state="attached", timeout=30_000)
    fill_code_lookup(page)
    page.evaluate("document.getElementById('id_challenge').value = 'expired'")
    page.get_by_role("button", name="Tra cứu", exact=True).click()
    page.wait_for_load_state("load")
    page.wait_for_function("document.getElementById('id_work').value !== ''", timeout=30_000)  # the work is done
    assert [error for error in page.console_errors if "status of 400" not in error] == []  # the refusal's own status
    page.console_errors.clear()
    link = page.locator(".error-summary").get_by_role("link", name=failed)
    assert link.get_attribute("href") == "#id_answer"
    assert page.locator("#id_answer").is_visible() and page.locator("#id_answer_error").is_visible()
    assert "không cần trả lời" not in page.locator("main").inner_text()
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_answer"
    check(page, "Tra cứu mã số BHXH")
    page.get_by_role("button", name="Tra cứu", exact=True).click()  # not answered
    page.wait_for_load_state()
    assert page.locator(".code-answer").inner_text() == "7901234567"

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/tra-cuu/ma-so-bhxh/")
        fill_code_lookup(page)
        page.get_by_label(re.compile("^Câu hỏi kiểm tra")).fill("99")  # no two digits add up to it
        page.get_by_role("button", name="Tra cứu", exact=True).click()
        page.wait_for_load_state()
        assert page.locator(".error-summary").get_by_role("link", name=failed).get_attribute("href") == "#id_answer"
        assert page.locator("#id_answer").is_visible() and page.locator("#id_answer_error").is_visible()
        assert "không cần trả lời" not in page.locator("main").inner_text()
    finally:
        context.close()


def test_a_feedback_status_link_opened_after_its_session_ended_starts_in_the_contact_box(phone, live_server):
    """The tracking number is filled in: the focus is in the one box still to fill."""
    page = phone
    page.goto(live_server.url + "/dich-vu-cong/phan-anh/PA2611ABCD2345/")
    page.wait_for_url("**/dich-vu-cong/phan-anh/tra-cuu/?ma=PA2611ABCD2345")
    check(page, "Tra cứu phản ánh đã gửi")
    assert page.get_by_label("Mã phản ánh").input_value() == "PA2611ABCD2345"
    assert page.evaluate("document.activeElement.name") == "contact"
    page.keyboard.type("0912345678")
    assert page.get_by_label("Số điện thoại hoặc thư điện tử đã khai khi gửi").input_value() == "0912345678"


@pytest.fixture
def faq_and_news(transactional_db):
    """The questions and articles as `migrate` leaves them (an earlier browser test's flush removed
    the migrations' rows): the seed (lookup 0004), then every later data migration of lookup that
    rewrites questions or articles (0006, 0012–0016, …), in order."""
    from django.apps import apps
    from django.db.migrations import RunPython
    from django.db.migrations.loader import MigrationLoader

    from lookup.models_support import FaqQuestion, FaqTopic, NewsArticle

    for model in (FaqQuestion, FaqTopic, NewsArticle):  # the same start whether or not a flush came first
        model.objects.all().delete()
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    [last] = graph.leaf_nodes("lookup")
    plan = [key for key in graph.forwards_plan(last) if key[0] == "lookup"]
    for key in plan[plan.index(("lookup", "0004_faq_news_seed")):]:
        for operation in graph.nodes[key].operations:
            source = inspect.getsource(inspect.getmodule(operation.code)) if isinstance(operation, RunPython) else ""
            if any(f'"{model.__name__}"' in source for model in (FaqQuestion, NewsArticle)):
                operation.code(apps, None)


def test_support_news_and_feedback_on_a_phone(phone, live_server, faq_and_news):
    page = phone
    page.goto(live_server.url + "/ho-tro/")
    check(page, "Hỗ trợ")
    page.get_by_role("searchbox", name="Tìm câu hỏi").fill("quen mat khau")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Tôi quên mật khẩu thì làm thế nào?").is_visible()
    assert page.get_by_text("Nhập mã rồi đặt mật khẩu mới.", exact=False).is_visible()  # opened
    check(page, "Hỗ trợ")
    # The FAQ as the later migrations left it (lookup 0016), not as first seeded.
    page.get_by_role("searchbox", name="Tìm câu hỏi").fill("khong nhan duoc ma")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("mỗi số điện thoại nhận tối đa 5 mã trong một giờ", exact=False).is_visible()

    page.get_by_role("link", name="Tất cả tin tức").click()
    check(page, "Tin tức")
    page.get_by_role("link", name="Cảnh giác với cuộc gọi mạo danh cơ quan BHXH").click()
    check(page, "Cảnh giác với cuộc gọi mạo danh cơ quan BHXH")
    assert page.locator("img.news-lead").evaluate("img => img.complete && img.naturalWidth > 0")

    page.goto(live_server.url + "/ho-tro/")
    page.get_by_role("link", name="Gửi phản ánh, kiến nghị").first.click()
    check(page, "Gửi phản ánh, kiến nghị")
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    check(page, "Gửi phản ánh, kiến nghị")
    page.get_by_label("Lĩnh vực").select_option(label="Thẻ BHYT, khám chữa bệnh BHYT")
    page.get_by_label("Cơ quan BHXH nhận phản ánh").select_option(label="BHXH Quận 1")
    page.get_by_label("Nội dung").fill("Thẻ BHYT của tôi ghi sai nơi đăng ký khám chữa bệnh ban đầu.")
    page.get_by_label("Họ và tên").fill("Trần Thị Mai")
    page.get_by_label("Số điện thoại di động").fill("0912345678")
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    page.wait_for_url(re.compile(r".*/dich-vu-cong/phan-anh/PA\w+/$"))
    feedback = Feedback.objects.get()
    check(page, f"Phản ánh {feedback.tracking_number}")
    # said once, by the message that takes the focus (the page's box then leaves its own "Đã tiếp nhận." out)
    assert page.get_by_text(f"Đã tiếp nhận phản ánh {feedback.tracking_number}.").is_visible()


@pytest.mark.parametrize("path", ["/ho-tro/", "/tra-cuu/co-so-kcb/", "/tra-cuu/don-vi/"])
def test_the_search_button_sits_beside_the_last_field_on_a_wide_screen(page, live_server, reference_data, path):
    """At 1280 px the "Tìm" button follows the search field it sends, instead of sitting across the page."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + path)
    form = page.locator("form.search-form")
    last_field = form.locator("input:not([type=hidden]), select").last.bounding_box()
    button = form.get_by_role("button", name="Tìm").bounding_box()
    assert abs(button["y"] + button["height"] - last_field["y"] - last_field["height"]) <= 8  # same line
    assert 0 <= button["x"] - (last_field["x"] + last_field["width"]) <= 16



LONG_WORD = "x" * 100  # as long as the search fields take, one word: no space for a line to break at
# The ninth word and beyond are not looked for (SEARCH_WORDS_MAX), and the page names them: within
# the fields' 100 characters, a word left out may be 84 long.
PAST_THE_WORDS = "a b c d e f g h " + "x" * 84


@pytest.mark.parametrize(("path", "query"), [
    ("/ho-tro/", LONG_WORD), ("/ho-tro/", PAST_THE_WORDS),
    ("/tra-cuu/co-quan-bhxh/", PAST_THE_WORDS), ("/tra-cuu/co-so-kcb/", PAST_THE_WORDS),
    ("/tra-cuu/co-so-kcb/cap-giay-nghi-om/", PAST_THE_WORDS), ("/tra-cuu/don-vi/", PAST_THE_WORDS),
    ("/tra-cuu/diem-thu/", PAST_THE_WORDS),
])
def test_a_long_word_searched_is_said_again_without_widening_a_phone_page(browser, live_server, reference_data,
                                                                            path, query):
    """The FAQ's "Tìm thấy 0 câu hỏi cho “…”" and the lookups' words left out repeat what was typed: a
    word of 100 characters widened the FAQ page to 878 px; it breaks within the line instead. Measured
    against the screen's width in a context that is not a mobile one's: there the browser widens the
    layout to the page's content, and a page too wide reads as fitting its window."""
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{path}?q={query}")
        assert page.locator("main p", has_text=query.split()[-1]).count() >= 1, "the word is said again"
        for screen in (PHONE, NARROWEST):
            page.set_viewport_size(screen)
            assert page.evaluate("document.documentElement.scrollWidth") <= screen["width"], (path, screen)
    finally:
        context.close()
