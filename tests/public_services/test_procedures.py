"""The registry and each procedure's form: what it accepts, what it refuses (with a message that
says how to fix it), and its declaration PDF read back with pdftotext, diacritics intact."""

import datetime
import re
import subprocess

import pytest
from django import forms
from django.core.files.storage import default_storage
from django.template.loader import get_template
from django.utils import timezone

from health_card.models import Card
from public_services.procedures import registry
from public_services.procedures.base import display, to_raw
from public_services.services import filing_build_declaration
from tests.conftest import require_tool
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401
from vssid_portal.templatetags.vn_format import vn_date

from .helpers import answers, authorisation_period, owner, submit, withdrawn  # noqa: F401

pytestmark = pytest.mark.django_db



def start() -> datetime.date:
    return authorisation_period()[0]


def end() -> datetime.date:
    return authorisation_period()[1]


def on_the_day(value):
    """A case that depends on the date is written as a function and worked out when the test runs,
    not when the tests are collected: a run crossing midnight in Vietnam (17:00 UTC) would
    otherwise check yesterday's "tomorrow" against today's form."""
    return value() if callable(value) else value


# An e-mail address of 255 characters that is otherwise well formed (64-character local part,
# 63-character labels): one more than the outbox (Message.recipient) and Django's model field keep.
EMAIL_255 = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 59 + ".vn"
EMAIL_254 = EMAIL_255[:64] + "@" + EMAIL_255[66:]


def test_registry_declares_every_procedure_in_one_place():
    procedures = registry.all_procedures()
    codes = [procedure.code for procedure in procedures]
    assert codes[:2] == ["607A", "608A"]
    assert {"BHYT-CL", "CHUYEN-NOI-HUONG", "THAY-DOI-CHI-TRA", "UY-QUYEN"} <= set(codes)
    assert len({procedure.slug for procedure in procedures}) == len(procedures)
    for procedure in procedures:
        assert procedure.name and procedure.documents and procedure.handling_days > 0
        get_template(procedure.pdf_template)  # the declaration exists
        assert registry.by_slug(procedure.slug) is procedure


def form(code, person, **overrides):
    procedure = registry.get(code)
    bound = procedure.form(data=answers(code, **overrides), person=person, kept=procedure.upload_fields)
    bound.is_valid()
    return bound


@pytest.mark.parametrize("code", ["607A", "608A", "CHUYEN-NOI-HUONG", "THAY-DOI-CHI-TRA", "UY-QUYEN"])
def test_valid_answers_are_accepted(owner, code):
    assert form(code, owner.person).errors == {}


@pytest.mark.parametrize(("code", "overrides", "field", "message"), [
    ("607A", {"reason": ""}, "reason", "Chọn lý do cấp lại sổ."),
    ("607A", {"details": ""}, "details", "Nhập nội dung yêu cầu cấp lại sổ."),
    ("607A", {"details": "x" * 1001}, "details", "Nội dung yêu cầu: nhập tối đa 1000 ký tự."),
    ("607A", {"delivery_address": ""}, "delivery_address", "Nhập địa chỉ nhận kết quả qua bưu điện."),
    ("607A", {"phone": "0123"}, "phone",
     "Số điện thoại di động để cơ quan BHXH liên hệ: nhập số điện thoại di động Việt Nam gồm 10 chữ số, ví dụ 0912 345 678."),
    ("608A", {"changes": []}, "changes", "Chọn ít nhất một thông tin cần thay đổi."),
    ("608A", {"new_full_name": ""}, "new_full_name", "Nhập họ và tên mới."),
    ("608A", {"new_birth_date": "1988-03-16"}, "new_birth_date", "Nhập ngày sinh dạng ngày/tháng/năm, ví dụ 25/12/1990."),
    ("608A", {"new_full_name": "nguyen van duc"}, "new_full_name", "Giá trị mới trùng với thông tin hiện có trong hồ sơ BHXH."),
    ("608A", {"changes": ["id_number"], "new_id_number": "079099012345"}, "new_id_number",
     "Chữ số thứ 4 đến 6 của số CCCD cho biết giới tính, thế kỷ sinh và năm sinh: nam sinh năm 1988 có các chữ số "
     "này là 088. Hãy kiểm tra lại số CCCD, ngày sinh và giới tính."),
    ("CHUYEN-NOI-HUONG", {"new_agency": ""}, "new_agency", "Chọn cơ quan BHXH nơi muốn nhận."),
    ("THAY-DOI-CHI-TRA", {"method": "tai_khoan"}, "bank", "Chọn ngân hàng."),
    ("THAY-DOI-CHI-TRA", {"method": "tien_mat", "post_office": ""}, "post_office", "Nhập điểm chi trả bưu điện muốn nhận."),
    ("UY-QUYEN", lambda: {"valid_to": vn_date(start().replace(year=start().year + 1))}, "valid_to",  # 12 months, a day
     lambda: f"Mỗi lần ủy quyền tối đa 12 tháng: ngày kết thúc muộn nhất là {vn_date(end())}."),
    ("UY-QUYEN", lambda: {"valid_to": vn_date(start() - datetime.timedelta(days=1))}, "valid_to",
     "Ngày kết thúc không được trước ngày bắt đầu."),
    ("UY-QUYEN", {"authorised_id_number": "079088012345"}, "authorised_id_number",
     "Chữ số thứ 4 đến 6 của số CCCD cho biết giới tính, thế kỷ sinh và năm sinh: người sinh năm 1990 có các chữ "
     "số này là 090 (nam) hoặc 190 (nữ). Hãy kiểm tra lại số CCCD và ngày sinh."),
])
def test_invalid_answers_are_refused_with_a_message(owner, code, overrides, field, message):
    assert on_the_day(message) in form(code, owner.person, **on_the_day(overrides)).errors.get(field, [])


def test_a_new_agency_must_be_in_the_chosen_province(owner):
    from lookup.models import Agency

    elsewhere = Agency.objects.exclude(province_id=Agency.objects.get(code="07902").province_id).first()
    if elsewhere is None:
        pytest.skip("reference data has agencies in one province only")
    errors = form("CHUYEN-NOI-HUONG", owner.person, new_agency=str(elsewhere.pk)).errors
    assert errors["new_agency"] == ["Chọn cơ quan BHXH thuộc tỉnh/thành phố đã chọn."]


def test_the_paying_agency_is_not_a_new_place(owner):
    # The owner's allowance is paid by the agency that manages them.
    errors = form("CHUYEN-NOI-HUONG", owner.person, new_agency=str(owner.person.agency_id)).errors
    assert errors["new_agency"] == ["Đây là cơ quan BHXH đang chi trả lương hưu, trợ cấp cho bạn. Hãy chọn nơi nhận mới."]


def test_bank_account_numbers_are_checked_by_the_bank_rules(owner):
    from public_services.banks import bank_choices

    bank = bank_choices()[0][0]
    errors = form("THAY-DOI-CHI-TRA", owner.person, method="tai_khoan", bank=bank, account_number="12ab",
                  account_holder="NGUYEN VAN DUC").errors
    assert errors.get("account_number"), errors


def test_card_reissue_needs_an_active_card(owner, facility):  # noqa: F811
    procedure = registry.get("BHYT-CL")
    assert procedure.unavailable(owner.person).startswith("Nguyễn Văn Đức chưa có thẻ BHYT đang sử dụng")
    issue(owner.person, facility)
    assert procedure.unavailable(owner.person) == "" and form("BHYT-CL", owner.person).errors == {}


def test_card_reissue_is_not_offered_for_a_card_past_its_end_date(owner, facility, client):  # noqa: F811
    """A reissue keeps the card's dates: an expired card, marked so or not yet, is renewed instead."""
    card, today = issue(owner.person, facility), timezone.localdate()
    Card.objects.filter(pk=card.pk).update(valid_to=today - datetime.timedelta(days=1))  # still "active"
    reason = registry.get("BHYT-CL").unavailable(owner.person)
    assert reason.startswith("Thẻ BHYT của Nguyễn Văn Đức đã hết hạn nên không cấp lại được") and "tiếp tục tham gia BHYT" in reason
    client.force_login(owner)
    page = client.get("/dich-vu-cong/cap-lai-the-bhyt/").content.decode()
    assert "Thẻ BHYT của Nguyễn Văn Đức đã hết hạn nên không cấp lại được" in page and 'name="reason"' not in page
    Card.objects.filter(pk=card.pk).update(valid_to=today)  # its last day: still reissued
    assert registry.get("BHYT-CL").unavailable(owner.person) == ""


def test_608a_evidence_is_required_and_must_be_a_real_image(owner):
    procedure = registry.get("608A")
    from django.core.files.uploadedfile import SimpleUploadedFile

    missing = procedure.form(data=answers("608A"), files={}, person=owner.person)
    assert missing.errors["evidence_1"] == ["Hãy chọn ảnh giấy tờ chứng minh để tải lên."]
    fake = SimpleUploadedFile("giay-khai-sinh.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    refused = procedure.form(data=answers("608A"), files={"evidence_1": fake}, person=owner.person)
    assert refused.errors["evidence_1"] == ["Ảnh giấy tờ chứng minh: tệp không phải là ảnh JPEG, PNG hoặc WebP hợp lệ."]
    assert "new_full_name" not in refused.errors  # the rest of the form is fine


def pdf_text(filing) -> str:
    require_tool("pdftotext", "poppler-utils")
    filing = filing_build_declaration(filing_id=filing.pk)
    with default_storage.open(filing.declaration_pdf.name, "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", "", text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("code", "expected"), [
    ("607A", ["MẫuTK1-TS", "[01]Họvàtên", "NguyễnVănĐức", "7901234567", "15/03/1988", "Bịmấtsổ",
              "MấtsổkhichuyểnnhàởThủĐức", "12LêLợi,PhườngSàiGòn,ThànhphốHồChíMinh"]),
    ("608A", ["MẫuTK1-TS", "NguyễnVănĐứcThành", "16/03/1988", "Họvàtên,Ngàysinh",
              "Cảichínhhọtêntheogiấykhaisinh", "[05]HồsơkèmtheoẢnhgiấytờchứngminh"]),
    ("CHUYEN-NOI-HUONG", ["Đơnđềnghịchuyểnnơihưởng", "45HàHuyGiáp,Quận12", "Chuyểnvềởvớicongái"]),
    ("THAY-DOI-CHI-TRA", ["Nhậntiềnmặttạiđiểmchitrảbưuđiện", "BưuđiệnSàiGòn"]),
    ("UY-QUYEN", lambda: ["Giấyủyquyền", "TrầnThịHồngNhung", "079190012345", "Vợ/chồng", vn_date(end())]),
])
def test_declaration_pdf_carries_the_declared_values(owner, code, expected):
    text = pdf_text(submit(owner, code))
    for value in on_the_day(expected):
        assert squash(value).lower() in text.lower(), (value, text[:2000])


def test_card_reissue_declaration(owner, facility):  # noqa: F811
    issue(owner.person, facility)
    text = pdf_text(submit(owner, "BHYT-CL"))
    assert "MẫuTK1-TSTỜKHAI" in text, text[:300]  # the form code above the title, as 607A's and 608A's
    assert "Thẻbịhỏng,rách,khôngđọcđược" in text and "Thẻbịướt,mờchữ" in text
    assert Card.objects.filter(person=owner.person, status=Card.Status.ACTIVE).count() == 1


def test_a_bank_account_is_accepted_and_stored_without_spaces(owner):
    from public_services.banks import bank_choices

    bound = form("THAY-DOI-CHI-TRA", owner.person, method="tai_khoan", bank=bank_choices()[0][0],
                 account_number="0123 4567 8901", account_holder="NGUYEN VAN DUC")
    assert bound.errors == {}
    assert bound.cleaned_data["account_number"] == "012345678901" and bound.cleaned_data["post_office"] == ""


def errors_of(code, person, **overrides) -> dict:
    return {name: " ".join(messages) for name, messages in form(code, person, **overrides).errors.items()}


def today() -> datetime.date:
    return timezone.localdate()


def first_of_month() -> datetime.date:
    return today().replace(day=1)


def in_days(days: int) -> str:
    return vn_date(today() + datetime.timedelta(days=days))


def start_range():
    return f"Chọn ngày bắt đầu ủy quyền từ {vn_date(first_of_month())} đến "


TOO_EARLY = "Ngày sinh phải từ ngày 01/01/1900 trở về sau."
FUTURE = "Ngày sinh không được sau ngày hôm nay."


@pytest.mark.parametrize(("code", "overrides", "field", "message"), [
    # E-mail: the outbox (Message.recipient) keeps 254 characters; 255 made the submit fail on PostgreSQL.
    ("607A", {"email": EMAIL_255}, "email", "Địa chỉ email dài tối đa 254 ký tự."),
    ("608A", {"email": EMAIL_255}, "email", "Địa chỉ email dài tối đa 254 ký tự."),
    # Authorisation period: 9999 used to overflow when the 12-month limit was counted (a 500).
    ("UY-QUYEN", {"valid_from": "01/01/9999", "valid_to": "02/01/9999"}, "valid_from", start_range),
    ("UY-QUYEN", {"valid_from": "01/01/0900", "valid_to": "02/01/0900"}, "valid_from", start_range),
    ("UY-QUYEN", lambda: {"valid_from": vn_date(first_of_month() - datetime.timedelta(days=1))}, "valid_from",
     start_range),
    ("UY-QUYEN", lambda: {"valid_from": in_days(367), "valid_to": in_days(400)}, "valid_from", start_range),
    # Birth dates: from 01/01/1900 to today.
    ("UY-QUYEN", {"authorised_birth_date": "01/01/0900"}, "authorised_birth_date", TOO_EARLY),
    ("UY-QUYEN", lambda: {"authorised_birth_date": in_days(1)}, "authorised_birth_date", FUTURE),
    ("608A", {"new_birth_date": "01/01/0900"}, "new_birth_date", TOO_EARLY),
    ("608A", {"new_birth_date": "31/12/1899"}, "new_birth_date", TOO_EARLY),
    ("608A", lambda: {"new_birth_date": in_days(1)}, "new_birth_date", FUTURE),
    # Names are checked as stored (NFC): 60 characters typed, 120 stored, refused again at submission.
    ("608A", {"new_full_name": "\u0958" * 60}, "new_full_name", "Họ và tên dài tối đa 100 ký tự."),
    ("UY-QUYEN", {"authorised_name": "\u0958" * 60}, "authorised_name", "Họ và tên dài tối đa 100 ký tự."),
])
def test_answers_out_of_range_are_refused_at_the_form(owner, code, overrides, field, message):
    assert on_the_day(message) in errors_of(code, owner.person, **on_the_day(overrides)).get(field, "")


@pytest.mark.parametrize(("code", "overrides"), [
    ("607A", {"email": EMAIL_254}),
    ("UY-QUYEN", lambda: {"valid_from": vn_date(first_of_month()),
                          "valid_to": vn_date(first_of_month() + datetime.timedelta(days=360))}),
    ("UY-QUYEN", lambda: {"valid_from": in_days(360), "valid_to": in_days(700)}),
    # A new birth year comes with a CCCD that agrees with it (a CCCD encodes the year).
    ("608A", {"new_birth_date": "01/01/1900", "changes": ["full_name", "birth_date", "id_number"],
              "new_id_number": "079000012345"}),
    ("608A", lambda: {"new_birth_date": in_days(0), "changes": ["full_name", "birth_date", "id_number"],
                      "new_id_number": f"0792{today().year % 100:02d}012345"}),
])
def test_answers_at_the_edges_of_the_ranges_are_accepted(owner, code, overrides):
    assert errors_of(code, owner.person, **on_the_day(overrides)) == {}


def test_dates_are_written_back_with_a_four_digit_year():
    """What the form accepted is stored and shown as dd/mm/yyyy with four digits, so the same
    field reads it back: "01/01/900" (strftime's year 900 on Linux) is not a date to "%d/%m/%Y"."""
    field = forms.DateField(input_formats=["%d/%m/%Y"])
    for day in (datetime.date(900, 1, 1), datetime.date(1988, 3, 16)):
        assert to_raw(day) == display(field, day) == f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
        assert field.clean(to_raw(day)) == day


def test_the_identity_on_the_filing_has_a_four_digit_birth_year(owner):
    person = owner.person
    person.birth_date = datetime.date(950, 7, 2)
    person.save(update_fields=["birth_date"])
    assert withdrawn(submit(owner)).identity["birth_date"] == "02/07/0950"
    person.birth_year_only = True
    person.save(update_fields=["birth_year_only"])
    assert submit(owner).identity["birth_date"] == "0950"


@pytest.mark.parametrize(("holder", "accepted"), [
    ("NGUYEN VAN DUC", True), ("nguyễn  văn   đức", True), ("Nguyễn Văn Đức", True),
    ("TRAN THI MAI", False), ("NGUYEN VAN", False),
])
def test_the_bank_account_must_be_in_the_beneficiarys_name(owner, holder, accepted):
    from public_services.banks import bank_choices

    errors = form("THAY-DOI-CHI-TRA", owner.person, method="tai_khoan", bank=bank_choices()[0][0],
                  account_number="0123456789", account_holder=holder, post_office="").errors
    if accepted:
        assert "account_holder" not in errors, errors
    else:
        assert errors["account_holder"] == ["Tài khoản phải đứng tên người hưởng: nhập tên chủ tài khoản là "
                                            "Nguyễn Văn Đức, như trong hồ sơ BHXH."]


def test_an_authorisation_that_would_end_before_today_is_refused(owner, monkeypatch):
    """It may start on the first day of this month (this month's payment can still be collected),
    but a period that ended before the day it is filed authorises nothing."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 12, 15))
    errors = errors_of("UY-QUYEN", owner.person, valid_from="01/12/2026", valid_to="14/12/2026")
    assert errors == {"valid_to": "Ngày kết thúc ủy quyền không được trước ngày hôm nay (15/12/2026)."}
    assert errors_of("UY-QUYEN", owner.person, valid_from="01/12/2026", valid_to="15/12/2026") == {}


@pytest.mark.parametrize("digits", [20, 30, 31, 60])
def test_an_account_number_too_long_is_told_the_banks_rule_whatever_its_length(owner, digits):
    """The bank rule is 6 to 19 digits: a longer number is told so, not "at most 30 characters"."""
    errors = errors_of("THAY-DOI-CHI-TRA", owner.person, method="tai_khoan", bank="VCB",
                       account_number="12" * (digits // 2), account_holder="NGUYEN VAN DUC")
    assert errors["account_number"].startswith("Số tài khoản gồm từ 6 đến 19 chữ số")


def test_an_authorised_persons_cccd_wrong_in_itself_is_told_with_a_birth_date_typed_wrong(owner):
    """The number alone is checked whatever else is wrong; against the birth date only once that is valid."""
    errors = form("UY-QUYEN", owner.person, authorised_id_number="123", authorised_birth_date="31/02/1990").errors
    assert "authorised_birth_date" in errors and errors["authorised_id_number"] == ["Số CCCD gồm đúng 12 chữ số."]
    errors = form("UY-QUYEN", owner.person, authorised_id_number="079188012345",  # born in 1988 by its digits
                  authorised_birth_date="31/02/1990").errors
    assert "authorised_birth_date" in errors and "authorised_id_number" not in errors
