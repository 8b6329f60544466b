"""The citizen's pages on a phone, in a real Chromium at 360×740 (and 320 px wide for the smallest
phones still in use): tables too wide for the screen become one card per row (`.table--stack`),
so nothing scrolls sideways, not even inside a table, and the filing list shows each filing's
status and due date at once; on a desktop they are ordinary tables again. After a failed submit
the focus lands on the error summary (with JavaScript; without it the summary is still the first
thing under the heading), and its link to a choice moves the focus to the first radio button. Withdrawing a filing asks first. axe-core finds nothing on these pages
at phone size, and no console error (CSP included) is logged. With the text size doubled (WCAG
1.4.4) no page scrolls sideways either."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.models import Person, User
from health_card.models import Card, CardCheck
from health_card.services import card_check
from public_services.models import Filing
from tests.public_services.helpers import citizen, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
SMALL_PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
CODE = "7901234567"  # the demo citizen with a history, visits, a card and an estimate
STACKED_PAGES = {  # page → its heading; every table on these pages stacks on a phone
    "/dich-vu-cong/ho-so/": "Hồ sơ đã nộp",
    "/so-kham-chua-benh/": "Lịch sử khám chữa bệnh",
    "/tai-khoan/bao-mat/": "Bảo mật tài khoản",
    "/thong-tin-huong/uoc-tinh/": "Ước tính BHXH một lần",
    "/the-bhyt/ai-da-xem/": "Ai đã xem thẻ của tôi",
}
BOOK = "/dich-vu-cong/cap-lai-so-bhxh/"
SON = "7901234581"  # seed_demo's son of the citizen, whose records he views

# Where each cell of the page's stacked tables is, against the viewport and its table's box.
CELLS = """() => Array.from(document.querySelectorAll('table')).map(table => {
  const box = (table.closest('.table-wrap') || table.parentElement).getBoundingClientRect();
  return {stacked: table.classList.contains('table--stack'), width: table.scrollWidth,
          room: Math.ceil(box.width),
          outside: Array.from(table.querySelectorAll('td, tbody th')).filter(cell => {
            const r = cell.getBoundingClientRect();
            return r.width > 0 && (r.left < -0.5 || r.right > window.innerWidth + 0.5);
          }).length};
})"""
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def citizen_user(reference_data):
    call_command("seed_demo", persons=3, seed=2026, verbosity=0)
    user = User.objects.get(username=CODE)
    for code in ("BHYT-CL", "UY-QUYEN"):  # 607A is left free: the form tests file it
        submit(user, code)
    # The 608A for his son: one of his own would hold his 607A, which reissues the same book.
    submit(user, "608A", person=Person.objects.get(bhxh_code=SON), changes=["full_name"],
           new_full_name="Nguyễn Minh Khang An", new_birth_date="")
    card = Card.objects.filter(person=user.person).order_by("-pk").first()
    for name in (user.person.full_name, "Nguyễn Văn A"):  # a valid check and a refused one
        card_check(channel=CardCheck.Channel.TYPED, number=card.number, full_name=name,
                   birth_date=user.person.birth_date)
    return user


@pytest.fixture
def open_page(browser, live_server):
    """A page of a new browser context logged in as `user`, at `viewport`, JavaScript on or off."""
    contexts = []

    def make(user, viewport=PHONE, javascript=True):
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        contexts.append(context)
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
        return page

    yield make
    for context in contexts:
        context.close()


def accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def test_the_filing_list_shows_status_and_due_date_on_a_phone(citizen_user, open_page, live_server):
    filings = Filing.objects.filter(person=citizen_user.person).count()
    page = open_page(citizen_user)
    page.goto(live_server.url + "/dich-vu-cong/ho-so/")
    for viewport in (PHONE, SMALL_PHONE):
        page.set_viewport_size(viewport)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), viewport
        [table] = page.evaluate(CELLS)
        assert table["width"] <= table["room"] and table["outside"] == 0, (viewport, table)
        for label in ("Trạng thái", "Hẹn trả kết quả"):
            cells = page.locator(f'td[data-label="{label}"]')
            assert cells.count() == filings
            for box in (cells.nth(index).bounding_box() for index in range(filings)):
                assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (viewport, label, box)
    page.set_viewport_size(PHONE)
    # The first filing's number, status and due date are on the first screen, each named.
    first = page.locator("tbody tr").first
    for label in ("Số hồ sơ", "Trạng thái", "Hẹn trả kết quả"):
        box = first.locator(f'td[data-label="{label}"]').bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], (label, box)
    status = first.locator('td[data-label="Trạng thái"]')
    assert status.evaluate("cell => getComputedStyle(cell, '::before').content").startswith('"Trạng thái"')
    assert "Đã nộp" in status.inner_text()
    # Screen readers still meet a table with its column headers.
    assert page.get_by_role("table").count() == 1
    assert page.get_by_role("columnheader").all_inner_texts() == ["Số hồ sơ", "Thủ tục", "Ngày nộp", "Trạng thái",
                                                                  "Hẹn trả kết quả"]
    assert page.get_by_role("row").count() == filings + 1
    accessible(page)

    # A desktop: the ordinary table, header row shown, no labels repeated in the cells.
    page.set_viewport_size(DESKTOP)
    assert page.locator("thead th").first.bounding_box()["height"] > 10
    assert status.evaluate("cell => getComputedStyle(cell).display") == "table-cell"
    assert status.evaluate("cell => getComputedStyle(cell, '::before').content") == "none"
    row = page.locator("tbody tr").first.bounding_box()
    assert status.bounding_box()["y"] == row["y"]  # one line per filing again
    assert page.console_errors == []


def test_every_wide_table_of_the_citizen_fits_a_phone(citizen_user, open_page, live_server):
    page = open_page(citizen_user)
    for path, heading in STACKED_PAGES.items():
        page.set_viewport_size(PHONE)
        assert page.goto(live_server.url + path).status == 200
        assert page.locator("h1").inner_text() == heading
        page.evaluate("document.querySelectorAll('details').forEach(details => { details.open = true; })")
        for viewport in (PHONE, SMALL_PHONE):
            page.set_viewport_size(viewport)
            assert page.evaluate(NO_SIDEWAYS_SCROLL), (path, viewport)
            tables = page.evaluate(CELLS)
            assert tables, path
            for table in tables:
                assert table["stacked"], (path, table)
                assert table["width"] <= table["room"] and table["outside"] == 0, (path, viewport, table)
        page.set_viewport_size(PHONE)
        accessible(page)
    assert page.console_errors == []


# Where the content of each stacked cell with a label lies against its cell: the leftmost of its boxes
# (text and elements, not the ::before label), as a share of the cell's width, and its child nodes.
CELL_CONTENT = """() => Array.from(document.querySelectorAll('.table--stack td[data-label]')).map(cell => {
  const box = cell.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(cell);
  const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
  return {label: cell.dataset.label, text: cell.innerText, nodes: cell.childNodes.length,
          left: rects.length ? (Math.min(...rects.map(r => r.left)) - box.left) / box.width : 1};
})"""


def test_a_stacked_cell_keeps_its_whole_value_beside_its_label(citizen_user, open_page, live_server):
    """A cell holding text and a <span> (a visit line's quantity and unit, an adjustment coefficient and
    its "(năm hiện tại)", a period's months and their note) shows all of it beside its label on a phone,
    not the span under the label, in Vietnamese as in English."""
    visit = citizen_user.person.visits.filter(lines__unit__gt="").first()
    page = open_page(citizen_user)
    for language in ("vi", "en"):
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
        for path in ("/thong-tin-huong/uoc-tinh/", f"/so-kham-chua-benh/{visit.pk}/"):
            assert page.goto(live_server.url + path).status == 200
            for viewport in (PHONE, SMALL_PHONE):
                page.set_viewport_size(viewport)
                cells = page.evaluate(CELL_CONTENT)
                assert any(cell["nodes"] > 1 for cell in cells), path  # a value of several parts is there
                under_the_label = [cell for cell in cells if cell["left"] < 0.3]
                assert under_the_label == [], (language, path, viewport, under_the_label)
    assert page.console_errors == []


def test_the_focus_lands_on_the_error_summary_after_a_failed_submit(citizen_user, open_page, live_server):
    page = open_page(citizen_user)
    page.goto(live_server.url + BOOK)
    page.get_by_label("Nội dung yêu cầu", exact=True).fill("")
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    summary.wait_for()
    page.wait_for_load_state("load")  # deferred scripts have run
    assert page.evaluate("document.activeElement.classList.contains('error-summary')"), \
        page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    assert page.title().startswith("Lỗi:")
    box = summary.bounding_box()
    assert 0 <= box["y"] < PHONE["height"], box  # on the phone's screen, not 1,000 px further down
    assert page.evaluate("document.querySelector('h1').nextElementSibling.classList.contains('error-summary')")
    assert summary.get_by_role("link", name="Nhập nội dung yêu cầu cấp lại sổ.").is_visible()
    accessible(page)
    assert page.console_errors == []


def test_a_summary_link_of_a_choice_moves_the_focus_to_its_first_radio_button(citizen_user, open_page, live_server):
    page = open_page(citizen_user)
    page.goto(live_server.url + BOOK)
    page.get_by_role("button", name="Tiếp tục").click()  # no reason chosen
    page.wait_for_load_state("load")
    page.locator(".error-summary").get_by_role("link", name="Chọn lý do cấp lại sổ.").click()
    assert page.evaluate("document.activeElement.id") == "id_reason_0"  # not <body>
    in_view(page, "#id_reason_0", page.locator("fieldset:has(#id_reason_0) > legend"))  # the question too
    page.keyboard.press("Space")
    assert page.get_by_role("radio", name="Bị mất sổ").is_checked()
    page.locator(".error-summary").get_by_role("link", name="Nhập nội dung yêu cầu cấp lại sổ.").click()
    assert page.evaluate("document.activeElement.id") == "id_details"
    in_view(page, "#id_details", page.locator("label[for=id_details]"), page.locator("#id_details_error"))


def in_view(page, field, *around):
    """The field and what is said about it (its question, its message) are on the phone's screen."""
    for box in [page.locator(field).bounding_box()] + [locator.bounding_box() for locator in around]:
        assert -1 <= box["y"] and box["y"] + box["height"] <= PHONE["height"] + 1, box  # sub-pixel rounding


def test_an_updated_list_is_where_the_page_comes_back(reference_data, open_page, live_server, browser):
    """The "update the list" buttons (province → ward, province → agency) bring the page back at the
    list they updated, focused, with its label in view: at the top again, it would be a screen or two
    further down. The form's own submit then comes back at its top, at the error summary. Without
    JavaScript: with it, the lists follow the province by themselves and the buttons are hidden."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/dang-ky/")
    page.get_by_label("Tỉnh/thành phố").select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_role("button", name="Cập nhật danh sách phường/xã").click()
    page.wait_for_url("**/dang-ky/#id_ward")
    assert page.evaluate("document.activeElement.id") == "id_ward"
    in_view(page, "#id_ward", page.locator("label[for=id_ward]"))
    assert page.get_by_label("Phường/xã").locator("option", has_text="Phường Sài Gòn").count() == 1
    page.get_by_role("button", name="Tiếp tục").click()  # nothing else answered
    page.wait_for_url("**/dang-ky/")
    page.locator(".error-summary").wait_for()
    assert 0 <= page.locator(".error-summary").bounding_box()["y"] < PHONE["height"]
    context.close()

    user = citizen()  # with a monthly allowance: the procedure is open to him
    page = open_page(user, javascript=False)
    page.goto(live_server.url + "/dich-vu-cong/chuyen-noi-huong/")
    page.get_by_label("Tỉnh/thành phố nơi muốn nhận").select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_role("button", name="Cập nhật danh sách cơ quan BHXH").click()
    page.wait_for_url("**/dich-vu-cong/chuyen-noi-huong/#id_new_agency")
    assert page.evaluate("document.activeElement.id") == "id_new_agency"
    in_view(page, "#id_new_agency", page.locator("label[for=id_new_agency]"), page.locator("#id_new_agency_helptext"))

    page = open_page(user)  # axe needs JavaScript: the list followed the province there, the button hidden
    page.goto(live_server.url + "/dich-vu-cong/chuyen-noi-huong/")
    page.get_by_label("Tỉnh/thành phố nơi muốn nhận").select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_label("Cơ quan BHXH nơi muốn nhận").locator("option", has_text="BHXH Quận 12").wait_for(state="attached")
    accessible(page)
    assert page.console_errors == []


def test_without_javascript_the_summary_is_still_the_first_thing_under_the_heading(citizen_user, open_page,
                                                                                   live_server):
    page = open_page(citizen_user, javascript=False)
    page.goto(live_server.url + BOOK)
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_load_state()
    assert page.evaluate("document.querySelector('h1').nextElementSibling.classList.contains('error-summary')")
    box = page.locator(".error-summary").bounding_box()
    assert 0 <= box["y"] < PHONE["height"], box


def test_withdrawing_a_filing_asks_first(citizen_user, open_page, live_server):
    filing = Filing.objects.filter(person=citizen_user.person, status=Filing.Status.SUBMITTED).first()
    page = open_page(citizen_user, javascript=False)  # the whole step works without JavaScript
    status_url = f"{live_server.url}/dich-vu-cong/ho-so/{filing.pk}/"
    page.goto(status_url)
    page.get_by_role("link", name=f"Rút hồ sơ {filing.tracking_number}").click()
    page.wait_for_url(f"**/dich-vu-cong/ho-so/{filing.pk}/rut/")
    assert page.locator("h1").inner_text() == f"Rút hồ sơ {filing.tracking_number}?"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED  # opening the question withdrew nothing

    page.get_by_role("link", name="Quay lại").click()
    page.wait_for_url(status_url)
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED

    page.get_by_role("link", name=f"Rút hồ sơ {filing.tracking_number}").click()
    page.wait_for_url("**/rut/")
    page.get_by_role("button", name="Rút hồ sơ").click()
    page.wait_for_url(status_url)
    assert page.get_by_text(f"Đã rút hồ sơ {filing.tracking_number}.").is_visible()
    filing.refresh_from_db()
    assert filing.status == Filing.Status.WITHDRAWN
    assert page.get_by_role("link", name=re.compile("^Rút hồ sơ")).count() == 0

    page.goto(f"{status_url}rut/")  # the question again (history, a bookmark): not asked, it is done
    page.wait_for_url(status_url)
    assert page.get_by_text(f"Hồ sơ {filing.tracking_number} đã được rút.").is_visible()
    assert filing.events.filter(status=Filing.Status.WITHDRAWN).count() == 1


def test_the_withdraw_question_is_accessible_on_a_phone(citizen_user, open_page, live_server):
    filing = Filing.objects.filter(person=citizen_user.person, status=Filing.Status.SUBMITTED).first()
    page = open_page(citizen_user)
    page.goto(f"{live_server.url}/dich-vu-cong/ho-so/{filing.pk}/rut/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert page.get_by_role("button", name="Rút hồ sơ").bounding_box()["y"] < PHONE["height"]
    accessible(page)
    assert page.console_errors == []


def test_the_chart_labels_are_legible_and_apart_on_a_phone(citizen_user, open_page, live_server):
    page = open_page(citizen_user)
    page.goto(live_server.url + "/qua-trinh-tham-gia/")
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('.chart__label'))
        .filter(text => getComputedStyle(text).display !== 'none')
        .map(text => { const r = text.getBoundingClientRect(); return [r.left, r.right, r.height, r.top]; })""")
    assert len(boxes) >= 3 and all(height >= 10 for _left, _right, height, _top in boxes)  # 11px drawn at 5 px before
    years = sorted(box for box in boxes if box[3] > boxes[0][3] + 20)  # the row under the bars
    assert len(years) >= 2 and all(a[1] <= b[0] for a, b in zip(years, years[1:], strict=False))  # none overlaps
    assert page.evaluate(NO_SIDEWAYS_SCROLL)



# Every page above, and those whose text holds a long word (a file number in a heading, a file
# field's name, an employer's name) or a wide control (a file field).
TWICE_THE_TEXT = ["/", "/ca-nhan/", "/thong-tin-huong/", "/thong-bao/", "/qua-trinh-tham-gia/", *STACKED_PAGES, BOOK,
                  "/dich-vu-cong/phan-anh/", "/ca-nhan/dang-ky-cho-con/", "/tra-cuu/don-vi/?q=cong+ty",
                  "/dang-ky/", "/xac-thuc/the-bhyt/"]
# The widest things past the screen's right edge, to say what widens the page.
TOO_WIDE = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
  .slice(0, 3).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40))"""


def test_pages_fit_a_phone_at_twice_the_text_size(citizen_user, open_page, live_server):
    """WCAG 1.4.4: with the browser's text size doubled, a file number (in a heading too), an
    address, an e-mail address or an employer's name (one long word each) wraps inside its box, and
    a file field keeps to the screen's width, instead of widening the page. So do the answers of a
    filing (a new e-mail address) and a statement's verify address, each one long word in a list of
    details."""
    from notifications.models import Message
    from participation.services.statements import statement_request
    from public_services.services import filing_receive, filing_return
    from tests.accounts.helpers import officer

    filings = Filing.objects.filter(person=citizen_user.person)
    returned = Filing.objects.get(person__bhxh_code=SON, procedure_code="608A")  # its correction page asks for files
    username = "canbo" + returned.agency.code  # seed_demo's officer of that agency, if it made one
    agency_officer = (User.objects.filter(username=username).first()
                      or officer(username, returned.agency.code, "Cán bộ BHXH cơ sở"))
    filing_receive(filing=returned, officer=agency_officer)
    filing_return(filing=returned, officer=agency_officer, what="Chụp lại giấy khai sinh cho rõ.")
    submitted = filings.filter(status=Filing.Status.SUBMITTED).first()
    notice = Message.objects.filter(user=citizen_user, channel=Message.Channel.INBOX).first()
    contact = submit(citizen_user, "DOI-LIEN-HE", new_email="nguyen.minh.khang.lien.he@example.vn")
    statement = statement_request(person=citizen_user.person, requested_by=citizen_user, verify_base=live_server.url)
    paths = TWICE_THE_TEXT + [f"/dich-vu-cong/ho-so/{submitted.pk}/", f"/dich-vu-cong/ho-so/{submitted.pk}/rut/",
                              f"/dich-vu-cong/ho-so/{returned.pk}/sua/", f"/thong-bao/{notice.pk}/",
                              f"/dich-vu-cong/ho-so/{contact.pk}/", f"/qua-trinh-tham-gia/xac-nhan/{statement.pk}/"]
    page = open_page(citizen_user)
    page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 32}})
    too_wide = {}
    for path in paths:
        assert page.goto(live_server.url + path).status == 200, path
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 32
        if not page.evaluate(NO_SIDEWAYS_SCROLL):
            too_wide[path] = page.evaluate(TOO_WIDE)
    assert not too_wide, "\n".join(f"{path}: {what}" for path, what in too_wide.items())


def test_the_next_page_of_a_history_opens_at_its_periods(reference_data, open_page, live_server):
    """Page 2 of a long history opens at its list, with the focus to go on from there: at the top
    again, its periods would be three screens down, under the tabs, the totals and the chart."""
    import datetime

    from participation.models import Period

    user = citizen()
    person = user.person
    for month in range(70):  # more than a page of periods
        start = datetime.date(2000 + month // 12, month % 12 + 1, 1)
        Period.objects.create(person=person, kind=Period.Kind.BHYT, from_month=start, to_month=start,
                              payer=Period.Payer.STATE, base=0, rate=0, amount=0, province_id=person.province_id,
                              agency=person.agency, import_key=f"{person.bhxh_code}|bhyt|{start:%Y-%m}")
    page = open_page(user)
    page.goto(live_server.url + "/qua-trinh-tham-gia/bhyt/")
    page.get_by_role("navigation", name="Phân trang").get_by_role("link", name="Trang sau").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/qua-trinh-tham-gia/bhyt/?trang=2#chi-tiet")
    in_view(page, "#chi-tiet")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.periods summary')")
    assert page.evaluate("document.activeElement.textContent").startswith("10/2000")  # page 2: the 61st newest
    in_view(page, ".periods summary:focus")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    accessible(page)


def test_the_focus_lands_on_the_confirmation_after_a_step_that_went_through(citizen_user, open_page, live_server):
    """After a filing is sent or withdrawn the page says so under the header, and the focus is
    there: a screen reader reads it at once, and the next Tab goes on from it, not from the top."""
    page = open_page(citizen_user)
    page.goto(live_server.url + BOOK)
    page.get_by_label("Bị mất sổ").check()
    page.get_by_label("Nội dung yêu cầu", exact=True).fill("Mất sổ khi chuyển nhà ở Thủ Đức")
    page.get_by_role("button", name="Tiếp tục").press("Enter")
    page.wait_for_url("**/xem-lai/")
    page.get_by_role("button", name="Nộp hồ sơ").press("Enter")
    page.wait_for_url(re.compile(r".*/dich-vu-cong/ho-so/\d+/$"))
    page.wait_for_load_state("load")  # deferred scripts have run
    filing = Filing.objects.get(person=citizen_user.person, procedure_code="607A")
    confirmation = page.locator("[role=status]", has_text=f"Đã nộp hồ sơ. Số hồ sơ của bạn là {filing.tracking_number}.")
    assert confirmation.evaluate("box => box === document.activeElement")
    in_view(page, "[role=status]:focus")
    accessible(page)

    page.get_by_role("link", name=f"Rút hồ sơ {filing.tracking_number}").press("Enter")
    page.wait_for_url("**/rut/")
    assert page.evaluate("document.activeElement === document.body")  # a question: read from the top
    page.get_by_role("button", name="Rút hồ sơ").press("Enter")
    page.wait_for_url(f"**/dich-vu-cong/ho-so/{filing.pk}/")
    page.wait_for_load_state("load")
    withdrawn = page.locator("[role=status]", has_text=f"Đã rút hồ sơ {filing.tracking_number}.")
    assert withdrawn.evaluate("box => box === document.activeElement")
    page.keyboard.press("Tab")  # on from the confirmation, not from the skip link
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert page.console_errors == []
