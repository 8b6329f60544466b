"""A filing's page in the English admin (settings LANGUAGE_CODE="en"): the steps an officer takes on
it, the list's actions and the page confirming a completion speak English, as the decision pages
already do; the Vietnamese admin says the same as before."""

import html as html_lib
import re

import pytest

from public_services.models import Filing
from public_services.services import filing_receive, filing_start
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401
from tests.notifications.test_notice_language import VIETNAMESE_LETTERS

from .helpers import district_officer, logged, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

QUEUE = "/quan-tri/public_services/filing/"


def steps_box(client, filing) -> str:
    page = html_lib.unescape(client.get(f"{QUEUE}{filing.pk}/change/").content.decode())
    return page.split('<div class="filing-actions">', 1)[1].split("</div>", 1)[0]


def actions(client) -> list[str]:
    listed = html_lib.unescape(client.get(QUEUE).content.decode())
    select = listed.split('<select name="action"', 1)[1].split("</select>", 1)[0]
    return [text for value, text in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select) if value]


def confirmation(client, filing) -> str:
    """The text of the page confirming the completion of `filing`, in hand."""
    for step in (filing_receive, filing_start):
        step(filing=filing, officer=client.officer)
    html = html_lib.unescape(client.get(f"{QUEUE}{filing.pk}/buoc/complete/").content.decode())
    crumbs = html.split('<div class="breadcrumbs">', 1)[1].split("</div>", 1)[0]
    content = crumbs + html.split('id="content"', 1)[1].split("</main>", 1)[0]
    buttons = " ".join(re.findall(r'type="submit" value="([^"]*)"', content))
    return " ".join(f"{re.sub(r'<[^>]+>', ' ', content)} {buttons}".split())


@pytest.fixture
def client(district_officer):  # noqa: F811
    client = logged(district_officer)
    client.officer = district_officer
    return client


def test_an_english_admin_offers_the_steps_of_a_filing_in_english(client, owner, settings):  # noqa: F811
    filing = submit(owner)
    settings.LANGUAGE_CODE = "en"
    box = steps_box(client, filing)
    assert "<h2>Process the application</h2>" in box and ">Receive</button>" in box
    assert not VIETNAMESE_LETTERS.search(box), box
    assert actions(client) == ["Receive the selected applications", "Start processing the selected applications",
                               "Build the declarations again"]


def test_a_vietnamese_admin_offers_the_steps_of_a_filing_as_before(client, owner):  # noqa: F811
    box = steps_box(client, submit(owner))
    assert "<h2>Xử lý hồ sơ</h2>" in box and ">Tiếp nhận hồ sơ</button>" in box
    assert actions(client) == ["Tiếp nhận các hồ sơ đã chọn", "Bắt đầu giải quyết các hồ sơ đã chọn",
                               "Tạo lại tờ khai"]


def test_an_english_admin_confirms_a_completion_in_english(client, owner, settings):  # noqa: F811
    filing = submit(owner)
    settings.LANGUAGE_CODE = "en"
    page = confirmation(client, filing)
    assert f"Application {filing.tracking_number} – {filing.person} will move to the status" in page
    assert not VIETNAMESE_LETTERS.search(page.replace(str(filing.person), "")), page
    assert "Complete with a result" in page and "Confirm" in page and "Back" in page


def test_a_vietnamese_admin_confirms_a_completion_as_before(client, owner):  # noqa: F811
    filing = submit(owner)
    page = confirmation(client, filing)
    assert (f"Hồ sơ {filing.tracking_number} – {filing.person} sẽ chuyển sang trạng thái "
            "“Đã có kết quả”") in page
    assert "Trang chủ" in page and "Xác nhận" in page and "Quay lại" in page
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING


def page_of(client, filing) -> str:
    html = html_lib.unescape(client.get(f"{QUEUE}{filing.pk}/change/").content.decode())
    return html.split('id="content"', 1)[1].split('<div class="filing-actions">', 1)[0]


def test_an_english_admin_reads_a_filings_page_in_english(client, owner, settings):  # noqa: F811
    filing = submit(owner)
    filing_receive(filing=filing, officer=client.officer)
    settings.LANGUAGE_CODE = "en"
    page = page_of(client, filing)
    for english in ("Insured person (as in the social insurance records when submitted)", "Declared answers",
                    "Documents attached", "Processing history", '<th scope="row">Full name</th>',
                    '<th scope="col">From status</th>', "<label>Declarant:</label>", "<label>Result due:</label>"):
        assert english in page, english
    for vietnamese in ("Người tham gia (theo", "Lịch sử xử lý", "Họ và tên", "Từ trạng thái", "hẹn trả kết quả",
                       "người kê khai", "Tải tờ khai"):
        assert vietnamese not in page, vietnamese


def test_a_vietnamese_admin_reads_a_filings_page_as_before(client, owner):  # noqa: F811
    filing = submit(owner)
    filing_receive(filing=filing, officer=client.officer)
    page = page_of(client, filing)
    for vietnamese in ("Người tham gia (theo hồ sơ BHXH khi nộp)", "Nội dung kê khai", "Giấy tờ kèm theo",
                       "Lịch sử xử lý", '<th scope="row">Họ và tên</th>', '<th scope="col">Từ trạng thái</th>',
                       "<label>Người kê khai:</label>", "<label>Hẹn trả kết quả:</label>"):
        assert vietnamese in page, vietnamese


def filters(client) -> str:
    """The text of the filings list's filter panel: each filter's title and choices."""
    listed = html_lib.unescape(client.get(QUEUE).content.decode())
    panel = listed.split('id="changelist-filter"', 1)[1].split("</nav>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", panel.split(">", 1)[1]).split())


def test_an_english_admin_filters_the_filings_in_english(client, owner, settings):  # noqa: F811
    submit(owner)
    settings.LANGUAGE_CODE = "en"
    panel = filters(client)
    for english in ("By progress All Waiting for the agency Overdue Waiting for the applicant's correction Closed",
                    "By status All Submitted", "By procedure All 607A – Reissue of a lost or damaged social insurance "
                    "book", "BHYT-CL – Reissue of a lost or damaged health insurance card",
                    "By declaration All Could not be built"):
        assert english in panel, panel
    assert not VIETNAMESE_LETTERS.search(panel), panel


def test_a_vietnamese_admin_filters_the_filings_as_before(client, owner):  # noqa: F811
    submit(owner)
    panel = filters(client)
    for vietnamese in ("tình trạng Tất cả Đang chờ xử lý Quá hạn Chờ người nộp bổ sung Đã kết thúc",
                       "trạng thái Tất cả Đã nộp", "thủ tục Tất cả 607A – Cấp lại sổ BHXH do mất, hỏng",
                       "BHYT-CL – Cấp lại thẻ BHYT do mất, hỏng", "tờ khai Tất cả Chưa tạo được"):
        assert vietnamese in panel, panel


CHANGED_BY = ("BHYT-CL", "THAY-DOI-CHI-TRA", "CHUYEN-NOI-HUONG", "608A", "DOI-LIEN-HE")


def test_an_english_admin_lists_what_a_completion_changes_in_english(client, owner, facility, settings):  # noqa: F811
    """Each procedure's changes, on the confirmation page and as the completion checks them; the
    agencies' names, the people's and the addresses are the records' own."""
    from lookup.models import Agency
    from public_services.selectors import completion_changes

    card, code = issue(owner.person, facility), owner.person.bhxh_code
    filings = {code: submit(owner, code) for code in CHANGED_BY}
    new_agency = Agency.objects.get(pk=filings["CHUYEN-NOI-HUONG"].data["new_agency"])
    settings.LANGUAGE_CODE = "en"
    page = confirmation(client, filings["BHYT-CL"])
    assert (f"A new health insurance card for Nguyễn Văn Đức (number {card.number}, issue no. 2), keeping the benefit "
            "level, validity and initial place of medical registration of the card in use.") in page
    assert (f"The card in use (issue no. 1, issued on {card.issued_on:%d/%m/%Y}) becomes “replaced”: its QR code can "
            "no longer be used.") in page
    shown = {procedure: completion_changes(filing) for procedure, filing in filings.items()}
    assert shown["THAY-DOI-CHI-TRA"] == [
        f"Benefit TNLD.{code} – Occupational accident or disease: payment method “Transfer to a personal bank "
        "account” → “Cash at a payment point (post office)”"]
    assert shown["CHUYEN-NOI-HUONG"] == [
        f"Benefit TNLD.{code} – Occupational accident or disease: paying social insurance agency "
        f"{owner.person.agency} → {new_agency}"]
    assert shown["608A"][:2] == [
        f"Full name in the social insurance record {code}: Nguyễn Văn Đức → Nguyễn Văn Đức Thành",
        f"Date of birth in the social insurance record {code}: {owner.person.birth_date:%d/%m/%Y} → 16/03/1988"]
    assert shown["608A"][2] == ("The health insurance card in use (issue no. 1) is reissued with the new details "
                                "(issue no. 2); the old card's QR code can no longer be used.")
    assert shown["DOI-LIEN-HE"][0].startswith(f"Mobile phone number in the social insurance record {code}: ")
    assert shown["DOI-LIEN-HE"][1].startswith(f"Email of the account {code}: ")
    assert shown["DOI-LIEN-HE"][2].startswith(f"Contact address in the social insurance record {code}: ")
    for lines in shown.values():
        assert not any(VIETNAMESE_LETTERS.search(line.replace(owner.person.full_name, "").replace("Thành", ""))
                       for line in lines if "agency" not in line and "address" not in line), lines


def test_a_vietnamese_admin_lists_what_a_completion_changes_as_before(client, owner, facility):  # noqa: F811
    from public_services.selectors import completion_changes

    card, code = issue(owner.person, facility), owner.person.bhxh_code
    filings = {code: submit(owner, code) for code in CHANGED_BY}
    page = confirmation(client, filings["BHYT-CL"])
    assert (f"Thẻ đang dùng (lần cấp 1, cấp ngày {card.issued_on:%d/%m/%Y}) chuyển sang “đã thay thế”: mã QR của "
            "thẻ này không còn dùng được.") in page
    shown = {procedure: completion_changes(filing) for procedure, filing in filings.items()}
    assert shown["608A"][2] == ("Thẻ BHYT đang dùng (lần cấp 1) được cấp lại theo thông tin mới (lần cấp 2); mã QR "
                                "của thẻ cũ không còn dùng được.")
    assert shown["DOI-LIEN-HE"][0].startswith(f"Số điện thoại di động trong hồ sơ BHXH mã số {code}: ")
    assert shown["DOI-LIEN-HE"][1].startswith(f"Email của tài khoản {code}: ")
    assert shown["DOI-LIEN-HE"][2].startswith(f"Địa chỉ liên hệ trong hồ sơ BHXH mã số {code}: ")
