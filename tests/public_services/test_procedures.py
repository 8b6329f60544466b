"""The registry and each procedure's form: what it accepts, what it refuses (with a message that
says how to fix it), and its declaration PDF read back with pdftotext, diacritics intact."""

import re
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.template.loader import get_template

from health_card.models import Card
from public_services.procedures import registry
from public_services.services import filing_build_declaration
from tests.conftest import require_tool
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401

from .helpers import answers, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db


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
    ("607A", {"details": "x" * 1001}, "details", "Nhập tối đa 1000 ký tự."),
    ("607A", {"delivery_address": ""}, "delivery_address", "Nhập địa chỉ nhận kết quả qua bưu điện."),
    ("607A", {"phone": "0123"}, "phone", "Nhập số điện thoại di động Việt Nam gồm 10 chữ số, ví dụ 0912 345 678."),
    ("608A", {"changes": []}, "changes", "Chọn ít nhất một thông tin cần thay đổi."),
    ("608A", {"new_full_name": ""}, "new_full_name", "Nhập họ và tên mới."),
    ("608A", {"new_birth_date": "1988-03-16"}, "new_birth_date", "Nhập ngày sinh dạng ngày/tháng/năm, ví dụ 25/12/1990."),
    ("608A", {"new_full_name": "nguyen van duc"}, "new_full_name", "Giá trị mới trùng với thông tin hiện có trong hồ sơ BHXH."),
    ("608A", {"changes": ["id_number"], "new_id_number": "079099012345"}, "new_id_number",
     "Số CCCD không khớp với năm sinh đã khai. Hãy kiểm tra lại số CCCD hoặc ngày sinh."),
    ("CHUYEN-NOI-HUONG", {"new_agency": ""}, "new_agency", "Chọn cơ quan BHXH nơi muốn nhận."),
    ("THAY-DOI-CHI-TRA", {"method": "tai_khoan"}, "bank", "Chọn ngân hàng."),
    ("THAY-DOI-CHI-TRA", {"method": "tien_mat", "post_office": ""}, "post_office", "Nhập điểm chi trả bưu điện muốn nhận."),
    ("UY-QUYEN", {"valid_to": "01/06/2028"}, "valid_to", "Mỗi lần ủy quyền tối đa 12 tháng."),
    ("UY-QUYEN", {"valid_to": "01/12/2026"}, "valid_to", "Ngày kết thúc phải sau ngày bắt đầu."),
    ("UY-QUYEN", {"authorised_id_number": "079088012345"}, "authorised_id_number",
     "Số CCCD không khớp với năm sinh đã khai. Hãy kiểm tra lại số CCCD hoặc ngày sinh."),
])
def test_invalid_answers_are_refused_with_a_message(owner, code, overrides, field, message):
    assert message in form(code, owner.person, **overrides).errors.get(field, [])


def test_a_new_agency_must_be_in_the_chosen_province(owner):
    from lookup.models import Agency

    elsewhere = Agency.objects.exclude(province_id=Agency.objects.get(code="07902").province_id).first()
    if elsewhere is None:
        pytest.skip("reference data has agencies in one province only")
    errors = form("CHUYEN-NOI-HUONG", owner.person, new_agency=str(elsewhere.pk)).errors
    assert errors["new_agency"] == ["Chọn cơ quan BHXH thuộc tỉnh/thành phố đã chọn."]


def test_the_managing_agency_is_not_a_new_place(owner):
    errors = form("CHUYEN-NOI-HUONG", owner.person, new_agency=str(owner.person.agency_id)).errors
    assert errors["new_agency"] == ["Đây là cơ quan BHXH đang quản lý bạn. Hãy chọn nơi nhận mới."]


def test_bank_account_numbers_are_checked_by_the_bank_rules(owner):
    from public_services.banks import bank_choices

    bank = bank_choices()[0][0]
    errors = form("THAY-DOI-CHI-TRA", owner.person, method="tai_khoan", bank=bank, account_number="12ab",
                  account_holder="NGUYEN VAN DUC").errors
    assert errors.get("account_number"), errors


def test_card_reissue_needs_an_active_card(owner, facility):  # noqa: F811
    assert "Bạn chưa có thẻ BHYT đang sử dụng" in " ".join(form("BHYT-CL", owner.person).non_field_errors())
    issue(owner.person, facility)
    assert form("BHYT-CL", owner.person).errors == {}


def test_608a_evidence_is_required_and_must_be_a_real_image(owner):
    procedure = registry.get("608A")
    from django.core.files.uploadedfile import SimpleUploadedFile

    missing = procedure.form(data=answers("608A"), files={}, person=owner.person)
    assert missing.errors["evidence_1"] == ["Hãy chọn ảnh để tải lên."]
    fake = SimpleUploadedFile("giay-khai-sinh.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    refused = procedure.form(data=answers("608A"), files={"evidence_1": fake}, person=owner.person)
    assert refused.errors["evidence_1"] == ["Tệp không phải là ảnh JPEG, PNG hoặc WebP hợp lệ."]
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
    ("UY-QUYEN", ["Giấyủyquyền", "TrầnThịHồngNhung", "079190012345", "Vợ/chồng", "31/12/2027"]),
])
def test_declaration_pdf_carries_the_declared_values(owner, code, expected):
    text = pdf_text(submit(owner, code))
    for value in expected:
        assert squash(value).lower() in text.lower(), (value, text[:2000])


def test_card_reissue_declaration(owner, facility):  # noqa: F811
    issue(owner.person, facility)
    text = pdf_text(submit(owner, "BHYT-CL"))
    assert "Thẻbịhỏng,rách,khôngđọcđược" in text and "Thẻbịướt,mờchữ" in text
    assert Card.objects.filter(person=owner.person, status=Card.Status.ACTIVE).count() == 1


def test_a_bank_account_is_accepted_and_stored_without_spaces(owner):
    from public_services.banks import bank_choices

    bound = form("THAY-DOI-CHI-TRA", owner.person, method="tai_khoan", bank=bank_choices()[0][0],
                 account_number="0123 4567 8901", account_holder="NGUYEN VAN DUC")
    assert bound.errors == {}
    assert bound.cleaned_data["account_number"] == "012345678901" and bound.cleaned_data["post_office"] == ""
