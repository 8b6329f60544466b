"""Verifiable statements of participation: request → Celery task → tagged PDF with a QR code and a
short code → public check page. Each test names the rule it holds."""

import datetime
import hashlib
import io
import json
import logging
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone, translation
from PIL import Image

from accounts.models import Guardianship, User
from lookup.models import Agency, Employer, Province
from participation.models import Period, Statement
from participation.services import statements as service
from participation.tasks import build_statement_pdf
from tests.accounts.helpers import born_years_ago, cccd_for, make_person
from tests.conftest import ZBAR_QR, require_tool, wait_for
from tests.participation.helpers import months_from_now, period
from vssid_portal.text import mask_name

CHILD_BORN = born_years_ago(16)  # a minor (15 or 16) whenever the tests run

pytestmark = pytest.mark.usefixtures("reference_data")

LIST_URL = "/qua-trinh-tham-gia/xac-nhan/"
NOT_VERIFIED = "Không xác thực được văn bản này"
VALID = "Văn bản hợp lệ"


def squeeze(text: str) -> str:
    """pdftotext drops or adds spaces between letters: compare without whitespace."""
    return "".join(text.split())


def tool(name: str) -> str:
    return require_tool(name, "poppler-utils zbar-tools")


def pdf_text(path) -> str:
    return subprocess.run([tool("pdftotext"), "-layout", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def month(text: str) -> datetime.date:
    m, y = text.split("/")
    return datetime.date(int(y), int(m), 1)


def add_period(person, kind, first, last, *, employer=None, payer="employer", job="", base=0, rate="8", unpaid=0):
    period = Period(
        person=person, kind=kind, from_month=month(first), to_month=month(last), payer=payer, employer=employer,
        job_title=job, base=base, rate=Decimal(rate), amount=int(base * Decimal(rate) / 100), unpaid_months=unpaid,
        province=Province.objects.get(code="79"), agency=Agency.objects.get(code="07901"),
    )
    period.import_key = period.natural_key()
    period.full_clean()
    period.save()
    return period


# Expected rows as printed: from, to, payer as printed, job, base as printed, rate as printed.
ROWS = [
    ("03/2015", "12/2017", "A", "Kỹ sư phần mềm", "12.500.000 đ", "8 %"),
    ("01/2018", "06/2019", "B", "Trưởng nhóm kiểm thử", "18.250.000 đ", "8 %"),
    ("07/2019", "11/2019", "Tự đóng", "–", "4.680.000 đ", "22 %"),
    ("03/2015", "06/2019", "A", "Kỹ sư phần mềm", "12.500.000 đ", "1 %"),
    ("03/2015", "11/2019", "A", "–", "12.500.000 đ", "1,5 %"),
]


@pytest.fixture
def employers(db):
    first, second = Employer.objects.order_by("code")[:2]
    return {"A": first, "B": second}


@pytest.fixture
def owner(db, employers):
    person = make_person()  # Nguyễn Văn Đức, 15/03/1988
    add_period(person, "bhxh_bb", "03/2015", "12/2017", employer=employers["A"], job="Kỹ sư phần mềm", base=12_500_000)
    add_period(person, "bhxh_bb", "01/2018", "06/2019", employer=employers["B"], job="Trưởng nhóm kiểm thử",
               base=18_250_000, unpaid=2)
    add_period(person, "bhxh_tn", "07/2019", "11/2019", payer="self", base=4_680_000, rate="22")
    add_period(person, "bhtn", "03/2015", "06/2019", employer=employers["A"], job="Kỹ sư phần mềm",
               base=12_500_000, rate="1")
    add_period(person, "bhyt", "03/2015", "11/2019", employer=employers["A"], base=12_500_000, rate="1.5")
    return User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)


@pytest.fixture
def stranger(db):
    person = make_person("7909999999", "Trần Thị Mai", birth=datetime.date(1990, 1, 2), id_number="079190012345")
    return User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def render_count(monkeypatch):
    calls = []
    real = service.render_pdf

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "render_pdf", counting)
    return calls


def request_statement(client, capture) -> Statement:
    with capture(execute=True):
        response = client.post(LIST_URL)
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert response["Location"] == f"/qua-trinh-tham-gia/xac-nhan/{statement.pk}/"
    statement.refresh_from_db()
    return statement


@pytest.fixture
def ready(owner_client, django_capture_on_commit_callbacks, caplog):
    with caplog.at_level(logging.WARNING):
        statement = request_statement(owner_client, django_capture_on_commit_callbacks)
    assert statement.status == Statement.Status.READY
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    return statement


@pytest.fixture
def pdf_path(ready, tmp_path):
    path = tmp_path / "statement.pdf"
    with default_storage.open(ready.pdf.name, "rb") as handle:
        path.write_bytes(handle.read())
    return path


# --- Request and build ------------------------------------------------------------------------

def test_request_creates_a_statement_and_the_task_builds_its_pdf_once(owner_client, owner,
                                                                      django_capture_on_commit_callbacks, render_count):
    statement = request_statement(owner_client, django_capture_on_commit_callbacks)
    assert statement.person == owner.person and statement.requested_by == owner
    assert statement.status == Statement.Status.READY and statement.issued_at is not None
    assert re.fullmatch(r"[0-9a-f]{64}", statement.content_hash)
    with default_storage.open(statement.pdf.name, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    before = (statement.pdf.name, statement.content_hash, statement.issued_at)

    build_statement_pdf.delay(statement.pk, "http://testserver")  # delivered again (acks_late)
    build_statement_pdf.apply(args=(statement.pk, "https://elsewhere.example"))
    statement.refresh_from_db()
    assert (statement.pdf.name, statement.content_hash, statement.issued_at) == before
    assert render_count == ["participation/pdf/statement.html"]  # rendered once in all


def test_the_request_needs_a_login_and_a_csrf_token(client, owner):
    assert client.post(LIST_URL).status_code == 302 and not Statement.objects.exists()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.post(LIST_URL).status_code == 403
    page = strict.get(LIST_URL)
    assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in page.content.decode()
    token = page.cookies["csrftoken"].value
    assert strict.post(LIST_URL, HTTP_X_CSRFTOKEN=token).status_code == 302
    assert Statement.objects.count() == 1


def test_double_requests_reuse_the_statement_being_built_uncounted_and_requests_are_limited(owner_client):
    """A request while the person's statement is being built (the button sent twice, a page left
    open) gives that statement back, says it is being built and is not counted; each request that
    starts a build is, up to REQUEST_RATE an hour."""
    # on-commit callbacks not run: the first statement stays "building"
    assert owner_client.post(LIST_URL).status_code == 302
    for _ in range(12):
        response = owner_client.post(LIST_URL, follow=True)
        assert response.status_code == 200
        assert "Văn bản đang được tạo nên không cần tạo lại." in response.content.decode()
    assert Statement.objects.count() == 1
    for _ in range(9):  # the first request counted, 9 more start a build each
        Statement.objects.update(status=Statement.Status.FAILED)
        assert owner_client.post(LIST_URL).status_code == 302
    assert Statement.objects.count() == 10
    Statement.objects.update(status=Statement.Status.FAILED)
    response = owner_client.post(LIST_URL)
    assert response.status_code == 429
    assert "quá nhiều bản xác nhận" in response.content.decode()


def test_a_request_while_the_build_is_stalled_leads_to_its_page_without_saying_it_is_being_built(owner_client):
    """A request 3 minutes into a build that has stalled (past BUILDING_PATIENCE, within
    REUSE_BUILDING_FOR) leads to that statement's page, which says the build is taking longer than it
    should and offers to start it again; it is not told the build is under way and will appear there."""
    assert owner_client.post(LIST_URL).status_code == 302
    Statement.objects.update(build_started_at=timezone.now() - datetime.timedelta(minutes=3))
    response = owner_client.post(LIST_URL, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and Statement.objects.count() == 1
    assert "Việc tạo văn bản lâu hơn bình thường." in html
    assert "Văn bản đang được tạo nên không cần tạo lại." not in html


def test_the_request_and_retry_refusals_say_in_retry_after_when_they_may_be_tried_again(owner_client, owner):
    """As the check page's 429 does, the list's and the retry's say how many seconds are left of
    their limit's hour, each of its own count."""
    from participation.views import statements as views

    statement = service.statement_request(person=owner.person, requested_by=owner, verify_base="http://testserver")
    status_path = f"{LIST_URL}{statement.pk}/"
    for path, rate in ((LIST_URL, views.REQUEST_RATE), (status_path, views.RETRY_RATE)):
        for _ in range(int(rate.split("/")[0])):
            # a failed build, which asking again starts anew (one under way is not counted)
            Statement.objects.update(status=Statement.Status.FAILED)
            assert not owner_client.post(path).has_header("Retry-After"), path
        Statement.objects.update(status=Statement.Status.FAILED)
        response = owner_client.post(path)
        assert response.status_code == 429, path
        assert 1 <= int(response["Retry-After"]) <= 3600, path


# --- The PDF ----------------------------------------------------------------------------------

def test_pdf_lists_every_period_with_the_totals_and_is_tagged(ready, pdf_path, employers):
    text = pdf_text(pdf_path)
    flat = squeeze(text)
    for needle in ("Nguyễn Văn Đức", "7901234567", "15/03/1988", service.code_display(ready.code),
                   timezone.localtime(ready.issued_at).strftime("%d/%m/%Y"),
                   f"http://testserver/xac-thuc/van-ban/{service.code_display(ready.code)}/",
                   service.hash_display(ready.content_hash)):
        assert squeeze(needle) in flat, needle
    blocks = [squeeze(block) for block in re.split(r"\n\s*\n", text)]  # -layout: one block per table row
    for first, last, payer, job, base, rate in ROWS:
        payer = employers[payer].code if payer in employers else payer
        # a period is one printed row: its first line holds months, base and rate in column order,
        # and the wrapped cells below it hold the payer and the job title
        first_line = ".*".join(re.escape(squeeze(v)) for v in (first, last, base, rate))
        matching = [block for block in blocks if re.match(first_line, block)]
        assert len(matching) == 1, (first, last, base, rate)
        assert squeeze(payer) in matching[0] and all(word in matching[0] for word in job.split()), matching[0]
    assert squeeze("Tổng thời gian tham gia BHXH: 4 năm 9 tháng") in flat  # 34 + 18 + 5 months
    assert squeeze("Tổng thời gian tham gia BHTN: 4 năm 4 tháng") in flat
    # a type without periods is said plainly, not totalled as "0 năm 0 tháng (0 tháng; ...)"
    assert squeeze("Chưa có thời gian tham gia BHTNLĐ-BNN.") in flat
    assert squeeze("0 năm 0 tháng") not in flat and squeeze("(0 tháng;") not in flat
    assert squeeze("Chưa có giai đoạn tham gia") not in flat
    assert squeeze("Tổng thời gian tham gia BHYT: 4 năm 9 tháng") in flat
    assert squeeze("Số tháng còn nợ: 2 tháng") in flat
    info = subprocess.run([tool("pdfinfo"), str(pdf_path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info


def test_pdf_tells_the_reader_to_compare_the_totals_the_check_page_shows(ready, pdf_path):
    """A forger who changes a figure keeps the code, the date, the name and the printed hash, which
    the reader cannot work out again: the totals and the months owed, which the check page shows, are
    what tells such a copy, so the paper names them among what to compare, as the check page does."""
    flat = squeeze(pdf_text(pdf_path))
    assert squeeze("đối chiếu ngày cấp, họ tên người tham gia, tổng thời gian tham gia và số tháng còn nợ "
                   "của từng loại bảo hiểm, và mã băm nội dung") in flat
    assert squeeze("khác nhau ở bất kỳ chỗ nào nghĩa là văn bản đã bị sửa") in flat
    page = Client().get(service.verify_path(ready.code)).content.decode()
    assert "Tổng thời gian tham gia" in page and "Số tháng còn nợ" in page


def test_a_statement_built_while_a_page_speaks_english_prints_vietnamese_numbers(owner, tmp_path):
    """Eager Celery builds the PDF inside the English request that asked for it."""
    with translation.override("en"):
        statement = service.statement_request(person=owner.person, requested_by=owner, verify_base="http://testserver")
        service.statement_build(statement_id=statement.pk, verify_base="http://testserver")
    statement.refresh_from_db()
    path = tmp_path / "statement.pdf"
    with default_storage.open(statement.pdf.name, "rb") as handle:
        path.write_bytes(handle.read())
    flat = squeeze(pdf_text(path))
    assert squeeze("12.500.000 đ") in flat and squeeze("1,5 %") in flat
    assert "VND" not in flat and squeeze("1.5 %") not in flat


def test_printed_qr_decodes_to_the_verify_url_which_confirms_the_statement(ready, pdf_path, tmp_path):
    subprocess.run([tool("pdftoppm"), "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "page")],
                   check=True)
    (png,) = tmp_path.glob("page*.png")
    decoded = subprocess.run([tool("zbarimg"), *ZBAR_QR, str(png)],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert decoded == f"http://testserver/xac-thuc/van-ban/{service.code_display(ready.code)}/"

    # the short code is printed right under the QR: the area above that printed code holds the QR
    bbox = subprocess.run([tool("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(pdf_path), "-"],
                          capture_output=True, text=True, check=True).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]+)</word>', bbox)
    under_qr = [(float(x), float(y)) for x, y, word in words
                if word == service.code_display(ready.code) and float(x) > page_width / 2]
    assert len(under_qr) == 1, "the code is not printed in the QR column"
    x, y = under_qr[0]
    scale = 150 / 72
    with Image.open(png) as image:
        area = (int((x - 40) * scale), int((y - 130) * scale), image.width, int(y * scale))
        image.crop(area).save(tmp_path / "above.png")
    above = subprocess.run([tool("zbarimg"), *ZBAR_QR, str(tmp_path / "above.png")],
                           capture_output=True, text=True).stdout.strip()
    assert above == decoded

    response = Client().get(decoded.removeprefix("http://testserver"))  # an anonymous visitor
    html = response.content.decode()
    assert response.status_code == 200 and VALID in html and NOT_VERIFIED not in html
    assert "NGUYỄN V*** Đ***" in html and "Nguyễn Văn Đức" not in html and "7901234567" not in html
    assert service.hash_display(ready.content_hash) in html
    assert timezone.localtime(ready.issued_at).strftime("%d/%m/%Y %H:%M") in html
    assert "4 năm 9 tháng" in html  # the totals the document states, to compare with the paper
    # in the words of the paper for a type without periods
    assert '<th scope="row">BHTNLĐ-BNN</th><td>Chưa có thời gian tham gia</td>' in html
    assert "0 năm 0 tháng" not in html


def test_content_hash_is_the_sha256_of_the_canonical_statement_data(ready):
    data = service.statement_data(
        ready, issued_at=ready.issued_at,
        verify_url=f"http://testserver/xac-thuc/van-ban/{service.code_display(ready.code)}/",
    )
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert hashlib.sha256(canonical).hexdigest() == ready.content_hash
    assert service.statement_snapshot(ready) == data
    assert data["person"] == {"bhxh_code": "7901234567", "full_name": "Nguyễn Văn Đức", "birth_date": "1988-03-15"}
    assert [g["months"] for g in data["groups"]] == [57, 52, 0, 57]
    # the page keeps showing what was issued even when the records change afterwards
    Period.objects.filter(kind="bhtn").update(base=1)
    now = service.statement_data(ready, issued_at=ready.issued_at, verify_url=data["verify_url"])
    assert service.content_hash_of(now) != ready.content_hash
    html = Client().get(service.verify_path(ready.code)).content.decode()
    assert VALID in html and service.hash_display(ready.content_hash) in html


def test_months_paid_ahead_are_stated_apart_from_the_time_contributed(client, django_capture_on_commit_callbacks,
                                                                       tmp_path):
    """Voluntary BHXH paid 60 months ahead: the statement totals the months up to the month it is
    issued in, as the page does, and states the months paid ahead beside them."""
    person = make_person("7909999999", "Trần Thị Mai", birth=datetime.date(1990, 1, 2), id_number="079190012345")
    add_period(person, "bhxh_tn", months_from_now(-119), months_from_now(60), payer="self", base=5_000_000, rate="22")
    client.force_login(User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person))
    statement = request_statement(client, django_capture_on_commit_callbacks)
    bhxh = service.statement_snapshot(statement)["groups"][0]
    assert (bhxh["type"], bhxh["months"], bhxh["months_ahead"]) == ("bhxh", 120, 60)
    path = tmp_path / "statement.pdf"
    with default_storage.open(statement.pdf.name, "rb") as handle:
        path.write_bytes(handle.read())
    flat = squeeze(pdf_text(path))
    assert squeeze("Tổng thời gian tham gia BHXH: 10 năm 0 tháng (120 tháng;") in flat
    assert squeeze("Đã đóng trước 60 tháng sau tháng cấp văn bản, chưa tính vào tổng thời gian tham gia.") in flat
    html = squeeze(Client().get(service.verify_path(statement.code)).content.decode())
    assert VALID.replace(" ", "") in html
    assert squeeze("<td>10 năm 0 tháng (đã đóng trước 60 tháng)</td>") in html


def test_a_period_owes_the_months_up_to_the_issue_month_as_the_totals_count_them(
        client, django_capture_on_commit_callbacks, tmp_path):
    """Voluntary BHXH registered for 18 months with its last 8 unpaid: the row owes the 2 up to the
    month the statement is issued in, as its total does, and says the 6 after it are not due yet."""
    person = make_person("7909999999", "Trần Thị Mai", birth=datetime.date(1990, 1, 2), id_number="079190012345")
    add_period(person, "bhxh_tn", months_from_now(-11), months_from_now(6), payer="self", base=5_000_000, rate="22",
               unpaid=8)
    client.force_login(User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person))
    statement = request_statement(client, django_capture_on_commit_callbacks)
    path = tmp_path / "statement.pdf"
    with default_storage.open(statement.pdf.name, "rb") as handle:
        path.write_bytes(handle.read())
    text = pdf_text(path)
    assert squeeze("Số tháng còn nợ: 2 tháng") in squeeze(text)
    row, = [squeeze(block) for block in re.split(r"\n\s*\n", text) if block.strip().startswith(months_from_now(-11))]
    assert "182tháng" in row  # its months, then those owed
    assert "(6thángsau" in row and "chưađếnhạn)" in row
    assert "8tháng" not in squeeze(text)


def test_a_type_paid_wholly_ahead_totals_no_months_as_the_history_page_says(client, django_capture_on_commit_callbacks,
                                                                            tmp_path):
    """Household BHYT bought from next month: no month of it is reached when the statement is issued,
    so its total is the page's "0 tháng", with no count of months in brackets after it."""
    person = make_person("7909999999", "Trần Thị Mai", birth=datetime.date(1990, 1, 2), id_number="079190012345")
    # stored as the history page's test stores it: a period starting after this month is refused by its clean()
    period(person, months_from_now(1), months_from_now(12), kind="bhyt", payer="household")
    client.force_login(User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person))
    statement = request_statement(client, django_capture_on_commit_callbacks)
    path = tmp_path / "statement.pdf"
    with default_storage.open(statement.pdf.name, "rb") as handle:
        path.write_bytes(handle.read())
    flat = squeeze(pdf_text(path))
    assert squeeze("Tổng thời gian tham gia BHYT: 0 tháng Số tháng còn nợ") in flat
    assert squeeze("0 năm 0 tháng") not in flat and squeeze("(0 tháng;") not in flat
    assert squeeze("Đã đóng trước 12 tháng sau tháng cấp văn bản, chưa tính vào tổng thời gian tham gia.") in flat


def test_the_check_page_states_a_type_paid_wholly_ahead_as_the_statement_prints_it(
        client, django_capture_on_commit_callbacks):
    """The paper says "Tổng thời gian tham gia BHYT: 0 tháng" and the months paid ahead: the check
    page, which a verifier compares it with, says 0 months too, not that the type has no participation."""
    person = make_person("7909999999", "Trần Thị Mai", birth=datetime.date(1990, 1, 2), id_number="079190012345")
    period(person, months_from_now(1), months_from_now(12), kind="bhyt", payer="household")
    client.force_login(User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person))
    statement = request_statement(client, django_capture_on_commit_callbacks)
    html = squeeze(Client().get(service.verify_path(statement.code)).content.decode())
    assert squeeze('<th scope="row">BHYT</th><td>0 tháng (đã đóng trước 12 tháng)</td>') in html
    assert squeeze('<th scope="row">BHXH</th><td>Chưa có thời gian tham gia</td>') in html


def test_a_statement_issued_before_months_paid_ahead_were_stated_still_verifies(ready):
    """Its snapshot has no `months_ahead`: the page states its totals as it printed them."""
    name = ready.pdf.name.removesuffix(".pdf") + ".json"
    data = json.loads(default_storage.open(name, "rb").read())
    for group in data["groups"]:
        group.pop("months_ahead", None)
    data["format"] = "vssid-statement/1"
    content = service.canonical_bytes(data)
    default_storage.delete(name)
    default_storage.save(name, io.BytesIO(content))
    Statement.objects.filter(pk=ready.pk).update(content_hash=hashlib.sha256(content).hexdigest())
    html = Client().get(service.verify_path(ready.code)).content.decode()
    assert VALID in html and "<td>4 năm 9 tháng</td>" in html and "đóng trước" not in html


def test_the_check_page_shows_the_name_printed_on_the_statement_after_a_correction(ready):
    type(ready.person).objects.filter(pk=ready.person_id).update(full_name="Lê Văn Đức")
    html = Client().get(service.verify_path(ready.code)).content.decode()
    assert VALID in html and "NGUYỄN V*** Đ***" in html and "LÊ V***" not in html


def test_a_tampered_stored_snapshot_is_not_vouched_for(ready):
    name = ready.pdf.name.removesuffix(".pdf") + ".json"
    content = default_storage.open(name, "rb").read().replace("Nguyễn".encode(), "Nguyễm".encode())
    default_storage.delete(name)
    default_storage.save(name, io.BytesIO(content))
    html = Client().get(service.verify_path(ready.code)).content.decode()
    assert NOT_VERIFIED in html and VALID not in html


# --- The short code ---------------------------------------------------------------------------

FIXED_RANDOM = "ABCDEFGHJKMN"


def test_code_has_60_random_bits_a_mac_and_reads_in_groups():
    code = service.code_new()
    assert len(code) == 16 and set(code) <= set(service.CODE_ALPHABET)
    assert len(service.CODE_ALPHABET) == 32 and not set("01OI") & set(service.CODE_ALPHABET)
    assert service.CODE_RANDOM_LENGTH * 5 >= 60
    assert re.fullmatch(r"[2-9A-Z]{4}(-[2-9A-Z]{4}){3}", service.code_display(code))
    assert service.code_check(service.code_display(code).lower()) == code
    assert service.code_check(code) == code
    assert len({service.code_new() for _ in range(1000)}) == 1000


def test_a_code_pasted_with_other_spaces_dashes_or_invisible_characters_is_recognised(ready):
    """A genuine statement's code copied from a chat, an e-mail or a word processor often carries a
    no-break space, an en dash or a zero-width space between its groups: the check must not call the
    document forged for that."""
    groups = service.code_display(ready.code).split("-")
    for separator in ("\u00a0", "\u2013", "\u2212", "\u200b", "\u00ad", "\t", "\u2060", "\u200e"):
        pasted = separator.join(groups)
        assert service.code_check(pasted) == ready.code, repr(separator)
        assert service.code_check("\u200b" + pasted + "\ufeff") == ready.code, repr(separator)
    response = Client().get("/xac-thuc/van-ban/", {"ma": "\u00a0".join(groups) + "\u200b"})
    assert response.status_code == 302 and response["Location"] == service.verify_path(ready.code)
    assert service.code_check("\u200b".join(groups).replace(groups[0][0], "\u200b", 1)) is None  # a symbol lost


def test_a_code_typed_in_fullwidth_characters_is_recognised(ready):
    """Some keyboards type fullwidth letters and digits ("ＡＢ２３"), which the portal's code fields read
    as the ASCII ones: the statement's code too, rather than calling a genuine document unverified."""
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) for ch in service.code_display(ready.code))
    assert service.code_check(fullwidth) == ready.code
    response = Client().get("/xac-thuc/van-ban/", {"ma": fullwidth})
    assert response.status_code == 302 and response["Location"] == service.verify_path(ready.code)


def test_every_one_character_change_of_a_code_is_refused_without_a_query(settings, django_assert_num_queries):
    code = FIXED_RANDOM + service._mac(FIXED_RANDOM, settings.SECRET_KEY)
    assert service.code_check(code) == code
    with django_assert_num_queries(0):
        for position in range(len(code)):
            for symbol in service.CODE_ALPHABET:
                if symbol != code[position]:
                    altered = code[:position] + symbol + code[position + 1 :]
                    assert service.code_check(altered) is None, altered
                    assert service.statement_for_code(altered) is None
        for junk in ("", "x" * 500, "ABCD-EFGH", "../../etc/passwd", "ABCD-EFGH-JKMN-0000"):
            assert service.statement_for_code(junk) is None


def test_codes_survive_a_secret_key_rotation_with_fallbacks(rotate_secret_key):
    code = service.code_new()
    rotate_secret_key()
    assert service.code_check(code) == code
    rotate_secret_key.drop_old()
    assert service.code_check(code) is None


def test_mask_name():
    assert mask_name("Nguyễn Văn Đức") == "NGUYỄN V*** Đ***"
    assert mask_name("Lê Thị Ánh Nguyệt") == "LÊ T*** Á*** N***"
    assert mask_name("Mai") == "M***"


# --- The public check page --------------------------------------------------------------------

def test_altered_random_and_unknown_codes_are_not_verified(ready, django_assert_max_num_queries):
    client = Client()  # an anonymous visitor
    display = service.code_display(ready.code)
    flipped_random = ("B" if display[0] != "B" else "C") + display[1:]
    flipped_mac = display[:-1] + ("B" if display[-1] != "B" else "C")
    forged = service.code_display(service.code_new())  # well formed (right MAC), but never issued
    for code in (flipped_random, flipped_mac, "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "KHONGCOMA", forged, "a" * 300):
        response = client.get(f"/xac-thuc/van-ban/{code}/")
        html = response.content.decode()
        assert response.status_code == 200, code
        assert NOT_VERIFIED in html and VALID not in html and "NGUYỄN" not in html, code
    with django_assert_max_num_queries(0):  # a malformed code is told apart without the database
        assert NOT_VERIFIED in client.get(f"/xac-thuc/van-ban/{flipped_mac}/").content.decode()


def test_typed_code_form_goes_to_the_check_page(ready):
    client = Client()
    display = service.code_display(ready.code)
    response = client.get("/xac-thuc/van-ban/", {"ma": display.replace("-", " ").lower()})
    assert response.status_code == 302 and response["Location"] == f"/xac-thuc/van-ban/{display}/"
    assert NOT_VERIFIED in client.get("/xac-thuc/van-ban/", {"ma": "sai-ma"}).content.decode()
    assert client.get("/xac-thuc/van-ban/").status_code == 200


def test_anonymous_visitors_and_strangers_get_no_download_link(ready, stranger):
    path = service.verify_path(ready.code)
    anonymous = Client().get(path).content.decode()
    other = Client()
    other.force_login(stranger)
    strangers = other.get(path).content.decode()
    for html in (anonymous, strangers):
        assert VALID in html and "/tep/" not in html and "Tải bản xác nhận" not in html


def test_the_holder_downloads_the_pdf_from_the_status_and_check_pages(ready, owner_client):
    for path in (f"/qua-trinh-tham-gia/xac-nhan/{ready.pk}/", service.verify_path(ready.code)):
        html = owner_client.get(path).content.decode()
        link = re.search(r'href="(/tep/[^"]+)"', html).group(1)
        response = owner_client.get(link)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert Client().get(link).status_code == 404  # the link is bound to the holder


def test_a_parent_viewing_a_child_requests_and_downloads_the_childs_statement(client, owner, stranger,
                                                                             django_capture_on_commit_callbacks):
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    add_period(child, "bhyt", f"06/{CHILD_BORN.year}", f"05/{CHILD_BORN.year + 6}", payer="state", base=2_340_000, rate="4.5")
    Guardianship.objects.create(parent=owner, child=child, relationship="cha")
    client.force_login(owner)
    client.post("/ca-nhan/xem/", {"child": child.pk})
    statement = request_statement(client, django_capture_on_commit_callbacks)
    assert statement.person == child and statement.status == Statement.Status.READY
    status_page = client.get(f"/qua-trinh-tham-gia/xac-nhan/{statement.pk}/").content.decode()
    assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>" in status_page  # as on the list
    assert "/tep/" in client.get(service.verify_path(statement.code)).content.decode()
    other = Client()
    other.force_login(stranger)
    assert other.get(f"/qua-trinh-tham-gia/xac-nhan/{statement.pk}/").status_code == 404


def test_the_download_links_life_on_the_status_page_is_the_links_own(ready, owner_client, monkeypatch):
    from participation.views import statements as views

    url = f"/qua-trinh-tham-gia/xac-nhan/{ready.pk}/"
    assert "Liên kết tải có hiệu lực 15 phút;" in owner_client.get(url).content.decode()
    monkeypatch.setattr(views, "DEFAULT_MAX_AGE", 10 * 60)
    assert "Liên kết tải có hiệu lực 10 phút;" in owner_client.get(url).content.decode()


def test_another_users_statement_status_page_is_a_404(ready, stranger, client):
    client.force_login(stranger)
    assert client.get(f"/qua-trinh-tham-gia/xac-nhan/{ready.pk}/").status_code == 404
    assert client.post(f"/qua-trinh-tham-gia/xac-nhan/{ready.pk}/").status_code == 404
    assert client.get("/qua-trinh-tham-gia/xac-nhan/999999/").status_code == 404
    assert Client().get(f"/qua-trinh-tham-gia/xac-nhan/{ready.pk}/").status_code == 302  # to the login page


def test_verify_page_is_rate_limited_per_ip(ready):
    client = Client()
    path = service.verify_path(ready.code)
    for _ in range(30):
        assert client.get(path, REMOTE_ADDR="203.0.113.7").status_code == 200
    response = client.get(path, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    html = response.content.decode()
    assert "quá nhiều lần" in html and VALID not in html
    assert client.get("/xac-thuc/van-ban/", {"ma": "x"}, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.get(path, REMOTE_ADDR="203.0.113.8").status_code == 200  # another visitor is not held back


def test_the_check_pages_refusal_says_in_retry_after_when_it_may_be_tried_again(ready):
    """As the login and password pages' 429s do, the check page's says how many seconds are left of
    the limit's minute, typed or scanned alike."""
    client = Client()
    path = service.verify_path(ready.code)
    for _ in range(30):
        assert not client.get(path, REMOTE_ADDR="203.0.113.12").has_header("Retry-After")
    for response in (client.get(path, REMOTE_ADDR="203.0.113.12"),
                     client.get("/xac-thuc/van-ban/", {"ma": "x"}, REMOTE_ADDR="203.0.113.12")):
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 60


def typed_check(client, code: str, address: str):
    """A check typed by hand as a browser makes it: the empty entry form, the code sent from it and
    the page its redirect shows; the last answer."""
    assert client.get("/xac-thuc/van-ban/", REMOTE_ADDR=address).status_code == 200
    response = client.get("/xac-thuc/van-ban/", {"ma": code}, REMOTE_ADDR=address)
    if response.status_code != 302:
        return response
    return client.get(response["Location"], REMOTE_ADDR=address)


def test_a_check_typed_by_hand_counts_once_against_the_limit(ready):
    """The limit counts lookups: the empty entry form looks nothing up, and the page a typed code is
    sent on to is the lookup already counted when the code was sent, so 30 typed checks a minute
    pass as 30 QR scans do, and the 31st is refused."""
    client, code = Client(), service.code_display(ready.code)
    for _ in range(40):
        assert client.get("/xac-thuc/van-ban/", REMOTE_ADDR="203.0.113.9").status_code == 200
    for _ in range(30):
        response = typed_check(client, code, "203.0.113.9")
        assert response.status_code == 200 and VALID in response.content.decode()
    response = client.get("/xac-thuc/van-ban/", {"ma": code}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and VALID not in response.content.decode()
    assert client.get(service.verify_path(ready.code), REMOTE_ADDR="203.0.113.9").status_code == 429
    assert client.head(service.verify_path(ready.code), REMOTE_ADDR="203.0.113.9").status_code == 429
    assert client.get("/xac-thuc/van-ban/", REMOTE_ADDR="203.0.113.9").status_code == 200  # nothing looked up


def test_the_page_a_typed_code_is_sent_on_to_is_free_only_once_and_only_for_that_code(ready):
    """Visiting the page of the code just typed costs nothing more; visiting it again, or another
    code's page, from the same client, is a lookup of its own."""
    client, code = Client(), service.code_display(ready.code)
    other = service.verify_path(service.code_new())
    typed_check(client, code, "203.0.113.10")  # 1
    assert client.get(other, REMOTE_ADDR="203.0.113.10").status_code == 200  # 2: not the code typed
    for _ in range(28):  # 3 … 30
        assert client.get(service.verify_path(ready.code), REMOTE_ADDR="203.0.113.10").status_code == 200
    assert client.get(service.verify_path(ready.code), REMOTE_ADDR="203.0.113.10").status_code == 429
    assert client.head(other, REMOTE_ADDR="203.0.113.11").status_code == 200
    for _ in range(29):
        client.head(other, REMOTE_ADDR="203.0.113.11")
    assert client.head(other, REMOTE_ADDR="203.0.113.11").status_code == 429  # a HEAD looks up too


def test_a_code_that_cannot_be_verified_stays_in_the_form_to_be_corrected(ready):
    """A checker who mistyped one of the 16 characters is told to check each of them: the code
    they typed is put back in the form instead of an empty field."""
    client = Client()
    good = service.code_display(ready.code)
    wrong = good[:-1] + ("A" if good[-1] != "A" else "B")
    html = client.get("/xac-thuc/van-ban/", {"ma": wrong.lower()}).content.decode()
    assert NOT_VERIFIED in html
    assert f'value="{wrong.lower()}"' in html
    html = client.get(f"/xac-thuc/van-ban/{wrong}/").content.decode()  # a link or a QR with the wrong code
    assert NOT_VERIFIED in html and f'value="{wrong}"' in html
    html = client.get("/xac-thuc/van-ban/", {"ma": '"><b>x'}).content.decode()
    assert 'value="&quot;&gt;&lt;b&gt;x"' in html  # escaped like any other text
    html = client.get(service.verify_path(ready.code)).content.decode()  # a genuine one: an empty form
    assert VALID in html and 'name="ma" maxlength="40" autocomplete' in html


def page_title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_the_check_pages_title_says_a_code_was_refused_and_the_code_box_points_to_why(ready):
    """An employer or a bank checking a statement heard "Xác thực văn bản" whatever the answer, and the
    code put back in the box was not marked wrong nor tied to the notice saying why."""
    client = Client()
    html = client.get(service.verify_path(ready.code)).content.decode()
    assert page_title(html).startswith("Xác thực văn bản") and 'aria-invalid' not in html
    assert page_title(client.get("/xac-thuc/van-ban/").content.decode()).startswith("Xác thực văn bản")
    html = client.get("/xac-thuc/van-ban/", {"ma": "sai-ma"}).content.decode()
    assert page_title(html).startswith("Lỗi: Xác thực văn bản")
    notice_id = re.search(r'<div class="notice notice--error" role="status" id="([^"]+)">', html).group(1)
    box = re.search(r'<input type="text" id="ma-xac-thuc"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in box and f'aria-describedby="ma-xac-thuc-goi-y {notice_id}"' in box
    for _ in range(30):
        client.get(service.verify_path(ready.code), REMOTE_ADDR="203.0.113.9")
    response = client.get(service.verify_path(ready.code), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and page_title(response.content.decode()).startswith("Lỗi: Xác thực văn bản")


def test_the_statement_list_refused_for_too_many_requests_says_so_in_its_title(owner_client):
    for _ in range(10):
        Statement.objects.update(status=Statement.Status.FAILED)  # a build under way is not counted
        owner_client.post(LIST_URL)
    Statement.objects.update(status=Statement.Status.FAILED)
    response = owner_client.post(LIST_URL)
    assert response.status_code == 429
    assert page_title(response.content.decode()).startswith("Lỗi: Bản xác nhận quá trình tham gia")
    assert page_title(owner_client.get(LIST_URL).content.decode()).startswith("Bản xác nhận quá trình tham gia")


def test_the_empty_check_page_does_not_speak_of_another_code(ready):
    """Opened without a code (the link printed under the QR), nothing has been checked yet."""
    html = Client().get("/xac-thuc/van-ban/").content.decode()
    assert "Kiểm tra mã khác" not in html and "<h2>Kiểm tra mã xác thực</h2>" in html
    assert "Kiểm tra mã khác" in Client().get(service.verify_path(ready.code)).content.decode()
    with translation.override("en"):
        html = Client(headers={"cookie": "django_language=en"}).get("/xac-thuc/van-ban/").content.decode()
    assert "Check another code" not in html and "<h2>Check a verification code</h2>" in html


# --- Speed ---------------------------------------------------------------------------------------

def monthly_history(person, count):
    """`count` one-month compulsory periods, one after another from 01/1986 (480 = 40 years)."""
    province, agency = Province.objects.get(code="79"), Agency.objects.get(code="07901")
    rows = []
    for ordinal in range(1986 * 12, 1986 * 12 + count):
        first = datetime.date(ordinal // 12, ordinal % 12 + 1, 1)
        rows.append(Period(person=person, kind="bhxh_tn", from_month=first, to_month=first, payer="self",
                           base=5_000_000 + ordinal, rate=Decimal("22"), amount=1_100_000, province=province,
                           agency=agency, import_key=f"{person.bhxh_code}|bhxh_tn|{first:%Y-%m}|self"))
    Period.objects.bulk_create(rows)


def statement_page_queries(client, capture, person) -> dict[str, int]:
    """Queries of the statement list, status and public check pages for a ready statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)
    client.force_login(user)
    with capture(execute=True):
        assert client.post(LIST_URL).status_code == 302
    statement = Statement.objects.get(person=person)
    assert statement.status == Statement.Status.READY
    counts = {}
    for name, path in (("list", LIST_URL), ("status", f"{LIST_URL}{statement.pk}/"),
                       ("verify", service.verify_path(statement.code))):
        client.get(path)  # warm what a visitor's session already has
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        assert service.code_display(statement.code) in response.content.decode(), name
        counts[name] = len(captured)
    client.logout()
    return counts


def test_statement_pages_run_the_same_queries_for_one_period_and_40_years(client, django_capture_on_commit_callbacks):
    short = make_person()
    monthly_history(short, 1)
    long = make_person("7909999999", "Trần Thị Mai", birth=datetime.date(1960, 1, 2), id_number="079160012345", sex=2)
    monthly_history(long, 480)
    one = statement_page_queries(client, django_capture_on_commit_callbacks, short)
    forty_years = statement_page_queries(client, django_capture_on_commit_callbacks, long)
    assert one == forty_years
    assert "40 năm" in client.get(service.verify_path(Statement.objects.get(person=long).code)).content.decode()


# --- Progress while the task runs -------------------------------------------------------------

def test_pages_check_for_the_result_while_building_and_work_without_javascript(owner_client, owner):
    assert owner_client.post(LIST_URL).status_code == 302  # task not run yet
    statement = Statement.objects.get()
    status_path = f"/qua-trinh-tham-gia/xac-nhan/{statement.pk}/"
    for path in (status_path, service.verify_path(statement.code)):
        html = owner_client.get(path).content.decode()
        assert "đang được tạo" in html and 'data-poll="5"' in html and "/static/js/poll.js" in html
        assert 'http-equiv="refresh"' not in html  # no timed reload (WCAG 2.2.1)
        assert "Tải lại để xem trạng thái mới" in html  # the way without JavaScript
        assert "/tep/" not in html
    assert 'data-poll="5"' in Client().get(service.verify_path(statement.code)).content.decode()


def asked_minutes_ago(statement, minutes):
    """Every time the statement keeps (the request, the build's start) moved `minutes` back."""
    past = timezone.now() - datetime.timedelta(minutes=minutes)
    times = [f.name for f in Statement._meta.concrete_fields if f.get_internal_type() == "DateTimeField"
             and f.name != "issued_at"]
    Statement.objects.filter(pk=statement.pk).update(**dict.fromkeys(times, past))


def test_a_stalled_or_failed_build_stops_reloading_and_can_be_started_again(owner_client, monkeypatch,
                                                                            django_capture_on_commit_callbacks):
    monkeypatch.setattr(service, "render_pdf", lambda *a, **k: (_ for _ in ()).throw(ValueError("broken template")))
    statement = request_statement(owner_client, django_capture_on_commit_callbacks)
    assert statement.status == Statement.Status.FAILED and not statement.pdf
    status_path = f"/qua-trinh-tham-gia/xac-nhan/{statement.pk}/"
    html = owner_client.get(status_path).content.decode()
    assert "Chưa tạo được văn bản" in html and "Tạo lại văn bản" in html and 'data-poll' not in html
    assert NOT_VERIFIED in Client().get(service.verify_path(statement.code)).content.decode()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert owner_client.post(status_path).status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.READY

    stalled = Statement.objects.create(code=service.code_new(), person=statement.person,
                                       requested_by=statement.requested_by)
    asked_minutes_ago(stalled, 10)
    html = owner_client.get(f"/qua-trinh-tham-gia/xac-nhan/{stalled.pk}/").content.decode()
    assert "lâu hơn bình thường" in html and 'data-poll' not in html and "Tạo lại văn bản" in html


def test_the_list_does_not_say_a_stalled_build_is_being_made(owner_client, owner):
    """A build past its patience is no longer waited for: its page says it is taking longer than
    usual and offers to start it again, and the list says so too instead of "Đang tạo"."""
    building = service.statement_request(person=owner.person, requested_by=owner, verify_base="http://testserver")
    stalled = Statement.objects.create(code=service.code_new(), person=owner.person, requested_by=owner)
    asked_minutes_ago(stalled, 10)
    html = owner_client.get(LIST_URL).content.decode()
    rows = {pk: squeeze(re.sub(r"<[^>]+>", " ", row)) for pk, row in
            re.findall(r'<tr>\s*<td><a href="/qua-trinh-tham-gia/xac-nhan/(\d+)/">(.*?)</tr>', html, re.S)}
    assert rows[str(building.pk)].endswith(squeeze("Đang tạo"))
    assert rows[str(stalled.pk)].endswith(squeeze("Tạo lâu hơn bình thường; có thể tạo lại")), rows


def test_a_build_started_again_is_waited_for_again_even_for_a_statement_asked_for_long_ago(
        owner_client, owner, django_capture_on_commit_callbacks):
    statement = service.statement_request(person=owner.person, requested_by=owner, verify_base="http://testserver")
    asked_minutes_ago(statement, 10)  # its task was lost
    status_path = f"/qua-trinh-tham-gia/xac-nhan/{statement.pk}/"
    assert "lâu hơn bình thường" in owner_client.get(status_path).content.decode()

    with django_capture_on_commit_callbacks() as queued:  # the worker has not picked it up yet
        assert owner_client.post(status_path).status_code == 302
    assert len(queued) == 1
    for path in (status_path, service.verify_path(statement.code)):
        html = owner_client.get(path).content.decode()
        assert "đang được tạo" in html and 'data-poll="5"' in html, path
        assert "lâu hơn bình thường" not in html and "Tạo lại văn bản" not in html, path
    with django_capture_on_commit_callbacks() as queued:  # a second click while it builds starts nothing
        assert owner_client.post(status_path).status_code == 302
    assert queued == []


def test_a_request_while_a_build_started_again_runs_reuses_that_statement(
        owner_client, owner, django_capture_on_commit_callbacks):
    """'Tạo lại văn bản' on a statement asked for long ago: a new request while that build runs is
    the double click it is for a new statement, and starts no second build."""
    statement = service.statement_request(person=owner.person, requested_by=owner, verify_base="http://testserver")
    asked_minutes_ago(statement, 10)  # its task was lost
    status_path = f"/qua-trinh-tham-gia/xac-nhan/{statement.pk}/"
    with django_capture_on_commit_callbacks() as queued:  # the worker has not picked it up yet
        assert owner_client.post(status_path).status_code == 302
    assert len(queued) == 1
    with django_capture_on_commit_callbacks() as queued:
        response = owner_client.post(LIST_URL)
    assert response.status_code == 302 and response["Location"] == status_path
    assert queued == [] and Statement.objects.count() == 1


def test_starting_a_build_again_is_limited_per_user(owner_client, owner, django_capture_on_commit_callbacks):
    statement = service.statement_request(person=owner.person, requested_by=owner, verify_base="http://testserver")
    status_path = f"/qua-trinh-tham-gia/xac-nhan/{statement.pk}/"
    for _ in range(5):
        Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.FAILED, pdf_attempts=11)
        with django_capture_on_commit_callbacks() as queued:
            assert owner_client.post(status_path).status_code == 302
        assert len(queued) == 1
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.FAILED, pdf_attempts=11)
    with django_capture_on_commit_callbacks() as queued:
        response = owner_client.post(status_path)
    html = response.content.decode()
    assert response.status_code == 429 and queued == []
    assert "quá nhiều lần trong một giờ" in html and page_title(html).startswith("Lỗi: ")
    assert Statement.objects.filter(pk=statement.pk, status=Statement.Status.FAILED, pdf_attempts=11).exists()
    assert owner_client.get(status_path).status_code == 200


def test_a_build_that_kills_its_worker_every_time_is_marked_failed_after_the_last_attempt(
        owner, settings, monkeypatch):
    """A render that ends its process (memory, a crash in a C library) never reaches the task's
    error handling, and the task is handed out again after every worker loss (acks_late): the
    attempts counted before each render stop the loop."""
    settings.JOB_MAX_ATTEMPTS = 2
    statement = service.statement_request(person=owner.person, requested_by=owner, verify_base="http://testserver")

    def dying(*args, **kwargs):
        raise SystemExit("the worker process died while rendering")

    monkeypatch.setattr(service, "render_pdf", dying)
    for _delivery in range(2):
        with pytest.raises(SystemExit):
            service.statement_build(statement_id=statement.pk, verify_base="http://testserver")
        assert Statement.objects.get(pk=statement.pk).status == Statement.Status.BUILDING
    given_up = service.statement_build(statement_id=statement.pk, verify_base="http://testserver")
    assert (given_up.status, given_up.pdf_attempts, given_up.pdf.name) == (Statement.Status.FAILED, 3, "")

    monkeypatch.undo()
    service.statement_retry(statement=given_up, verify_base="http://testserver")  # the holder's "Tạo lại văn bản"
    assert Statement.objects.get(pk=statement.pk).pdf_attempts == 0
    built = service.statement_build(statement_id=statement.pk, verify_base="http://testserver")
    assert built.status == Statement.Status.READY and built.pdf_attempts == 1


# --- The real stack ---------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_statement(task_worker, reference_data, employers, owner, client, monkeypatch):
    """With Redis and PostgreSQL present this is a real `celery worker`; otherwise the task runs in-process."""
    if task_worker is not None:  # prove the PDF comes from the worker process, not from this one
        monkeypatch.setattr(service, "render_pdf", lambda *a, **k: pytest.fail("rendered in the test process"))
    client.force_login(owner)
    assert client.post(LIST_URL).status_code == 302
    statement = Statement.objects.get()
    wait_for(lambda: Statement.objects.filter(pk=statement.pk, status=Statement.Status.READY).exists(), timeout=60)
    statement.refresh_from_db()
    assert statement.pdf and re.fullmatch(r"[0-9a-f]{64}", statement.content_hash)
    html = Client().get(service.verify_path(statement.code)).content.decode()
    assert VALID in html and service.hash_display(statement.content_hash) in html


# --- Accessibility in a real browser ----------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_verify_page_has_no_axe_violations_while_building_and_when_ready(page, live_server, reference_data, owner):
    from axe_playwright_python.sync_playwright import Axe

    csp_errors = []
    page.on("console", lambda message: message.type == "error" and csp_errors.append(message.text))
    statement = Statement.objects.create(code=service.code_new(), person=owner.person, requested_by=owner)
    url = live_server.url + service.verify_path(statement.code)
    axe = Axe()

    # Building: the page checks in the background and shows the result by itself once the
    # statement is built; the visitor can stop the checks.
    page.goto(url)
    assert "đang được tạo" in page.content()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_role("button", name="Dừng tự động cập nhật").click()
    assert page.get_by_role("link", name="Tải lại để xem trạng thái mới").is_visible()
    page.reload()
    service.statement_build(statement_id=statement.pk, verify_base=live_server.url)
    page.get_by_text("Văn bản hợp lệ").first.wait_for(timeout=15000)  # shown without a click
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    page.goto(live_server.url + "/xac-thuc/van-ban/SAI0-MA00-XAC0-THUC/")
    assert NOT_VERIFIED in page.content()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    assert csp_errors == []



def test_an_expired_statement_link_leads_back_to_the_statement_for_a_fresh_one(ready, owner_client, open_expired_link):
    html = owner_client.get(service.verify_path(ready.code)).content.decode()
    link = re.search(r'href="(/tep/[^"]+)"', html).group(1)
    response, html = open_expired_link(owner_client, link)
    assert response.status_code == 410 and "Liên kết tải đã hết hạn" in html
    assert f'href="/qua-trinh-tham-gia/xac-nhan/{ready.pk}/"' in html
