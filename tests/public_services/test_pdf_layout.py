"""The declaration PDFs as paper: built by the real task (WeasyPrint) and read back page by page with
pdftotext. The pledge ("Tôi xin cam đoan …") and the signature block share a page, and a typical
607A, 608A or authorisation is one page; a document says what a screen says differently
(no "(không bắt buộc)", no "Quan hệ với bạn", the delivery as "Nhận kết quả: qua bưu điện, tại địa
chỉ …"); 607A prints "Hồ sơ kèm theo" once; the portal's name in the signature never breaks before
its last word. And a date typed in the right shape that does not exist is told so."""

import re
import subprocess

import pytest
from django.core.files.storage import default_storage

from public_services.models import Filing
from public_services.procedures import registry
from public_services.services import filing_build_declaration
from tests.conftest import require_tool

from .helpers import answers, owner, stored_upload, submit, withdrawn  # noqa: F401 (owner: fixture)

pytestmark = pytest.mark.django_db

PLEDGE = "Tôi xin cam đoan những nội dung kê khai trên là đúng sự thật"
SIGNATURE = ["Người kê khai", "(Nộp trực tuyến qua Cổng dịch vụ BHXH số)", "Nguyễn Văn Đức"]
# Who signs, as each paper form calls them: an authorisation is signed by the person who authorises,
# a request ("Đơn đề nghị") by the person requesting.
SIGNER = {"UY-QUYEN": "Người ủy quyền", "CHUYEN-NOI-HUONG": "Người đề nghị", "THAY-DOI-CHI-TRA": "Người đề nghị"}
EMAIL = {"email": "duc.nguyen@example.vn"}
ADDRESS = "12 Lê Lợi, Phường Sài Gòn, Thành phố Hồ Chí Minh"
# Typical answers, every optional box filled the way people fill it.
TYPICAL = {
    "607A": {**EMAIL, "attachments": "Giấy xác nhận mất sổ của công an phường"},
    "608A": {**EMAIL, "delivery": "buu_dien", "delivery_address": ADDRESS},
    "UY-QUYEN": {},
}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def declaration(user, code, *, uploads=None, **overrides) -> bytes:
    filing = filing_build_declaration(filing_id=submit(user, code, uploads=uploads, **overrides).pk)
    with default_storage.open(filing.declaration_pdf.name, "rb") as handle:
        return handle.read()


def pages(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext ends each page with a form feed)."""
    require_tool("pdftotext", "poppler-utils")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return text.split("\f")[:-1]


def page_of(found: list[str], words: str) -> int:
    """The number of the one page holding `words` (spaces and line breaks ignored)."""
    holding = [number for number, text in enumerate(found, 1) if squash(words) in squash(text)]
    assert len(holding) == 1, (words, holding)
    return holding[0]


def assert_signed_where_pledged(found: list[str], code: str = "607A") -> None:
    pledged = page_of(found, PLEDGE)
    for words in [SIGNER.get(code, SIGNATURE[0]), SIGNATURE[1]]:
        assert page_of(found, words) == pledged, (words, found[-1])
    last = squash(found[pledged - 1])
    assert squash(SIGNATURE[2]) in last[last.index(squash(PLEDGE)):]  # the signer's name, after the pledge


@pytest.mark.parametrize("code", list(TYPICAL))
def test_a_typical_declaration_is_one_page_with_the_signature_under_the_pledge(owner, code):
    uploads = {"evidence_1": stored_upload("evidence_1")} if code == "608A" else None
    found = pages(declaration(owner, code, uploads=uploads, **TYPICAL[code]))
    assert len(found) == 1, found
    assert_signed_where_pledged(found, code)


# Texts of these lengths end a page at different heights; 20 and 30 sentences left the signature
# alone on the last page before the pledge and the signature were kept together.
@pytest.mark.parametrize("sentences", [0, 20, 30, 43])
def test_a_long_declaration_runs_on_but_the_signature_travels_with_the_pledge(owner, sentences):
    found = pages(declaration(owner, "607A", details="Mất sổ khi chuyển nhà. " * sentences + "Hết.",
                              attachments="Giấy xác nhận của công an phường. " * 28, **EMAIL))
    assert len(found) >= 2
    assert_signed_where_pledged(found)
    assert squash(PLEDGE) in squash(found[-1])


def test_the_portals_name_in_the_signature_block_is_not_broken_before_its_last_word(owner):
    lines = [" ".join(line.split()) for line in pages(declaration(owner, "607A", **EMAIL))[0].splitlines()]
    assert any("Cổng dịch vụ BHXH số)" in line for line in lines), lines  # not "… BHXH" + a line "số)"


def every_declaration(user):
    """The declaration of every procedure, with the optional answers and images given."""
    for procedure in registry.all_procedures():
        if procedure.code == "BHYT-CL":
            continue  # needs an active card; its form is DeliveryForm's, as 607A's
        uploads = {name: stored_upload(name) for name in procedure.upload_fields}
        overrides = {key: value for key, value in {**EMAIL, **TYPICAL.get(procedure.code, {})}.items()
                     if key in answers(procedure.code)}
        yield procedure.code, squash(" ".join(pages(declaration(user, procedure.code, uploads=uploads, **overrides))))
        for filing in Filing.objects.filter(submitted_by=user, status=Filing.Status.SUBMITTED):
            withdrawn(filing)  # 607A and 608A are not in hand at the same time


def test_no_declaration_prints_the_screens_wording(owner):
    seen = dict(every_declaration(owner))
    assert {"607A", "608A", "UY-QUYEN"} <= set(seen)
    for code, text in seen.items():
        for words in ["(không bắt buộc)", "Quan hệ với bạn", "Gửi qua bưu điện đến địa chỉ dưới đây",
                      "Số điện thoại di động để cơ quan BHXH liên hệ", "Tin nhắn về hồ sơ"]:
            assert squash(words) not in text, (code, words)
    assert squash("Quan hệ với người ủy quyền Vợ/chồng") in seen["UY-QUYEN"]
    assert squash("Số điện thoại của người ủy quyền 0912 345 678") in seen["UY-QUYEN"]
    for code in ("607A", "608A"):
        assert squash(f"Nhận kết quả Qua bưu điện, tại địa chỉ: {ADDRESS}") in seen[code], code
        assert squash("Thư điện tử duc.nguyen@example.vn") in seen[code]
        assert squash("Số điện thoại liên hệ 0912 345 678") in seen[code]
    assert squash("Ảnh giấy tờ chứng minh; Ảnh giấy tờ khác") in seen["608A"]  # [05], the optional image too


def test_collecting_the_result_in_person_reads_as_such(owner):
    text = squash(" ".join(pages(declaration(owner, "608A", uploads={"evidence_1": stored_upload()}))))
    assert squash("Nhận kết quả Tại cơ quan BHXH giải quyết hồ sơ") in text
    assert "Địachỉnhậnkếtquả" not in text


def test_the_review_page_keeps_the_screens_wording():
    procedure = registry.get("607A")
    rows = procedure.rows({"email": "duc.nguyen@example.vn", "delivery": "buu_dien", "delivery_address": ADDRESS})
    assert rows == [("Thư điện tử (không bắt buộc)", "duc.nguyen@example.vn"),
                    ("Cách nhận kết quả", "Gửi qua bưu điện đến địa chỉ dưới đây"),
                    ("Địa chỉ nhận kết quả", ADDRESS)]
    assert [(row.pdf_label, row.pdf_value) for row in rows] == [
        ("Thư điện tử", "duc.nguyen@example.vn"), ("Nhận kết quả", f"Qua bưu điện, tại địa chỉ: {ADDRESS}"),
        ("", ADDRESS)]


def test_607a_prints_the_attached_papers_once_in_their_numbered_box(owner):
    text = squash(pages(declaration(owner, "607A", attachments="Giấy xác nhận mất sổ của công an phường"))[0])
    assert text.count(squash("Hồ sơ kèm theo")) == 1
    assert squash("[05] Hồ sơ kèm theo Giấy xác nhận mất sổ của công an phường") in text
    assert text.count(squash("Giấy xác nhận mất sổ")) == 1


def test_608a_lists_its_images_once(owner):
    text = squash(pages(declaration(owner, "608A", uploads={"evidence_1": stored_upload()}))[0])
    assert text.count(squash("Ảnh giấy tờ chứng minh")) == 1
    assert squash("[05] Hồ sơ kèm theo Ảnh giấy tờ chứng minh") in text


# --- Dates that do not exist --------------------------------------------------------------------

def bound(code, person, **overrides):
    procedure = registry.get(code)
    form = procedure.form(data=answers(code, **overrides), person=person, kept=procedure.upload_fields)
    form.is_valid()
    return form


@pytest.mark.parametrize(("code", "field", "label", "typed", "extra"), [
    ("608A", "new_birth_date", "Ngày sinh mới", "31/02/1988", {}),
    ("608A", "new_birth_date", "Ngày sinh mới", "29/02/1990", {}),
    ("608A", "new_birth_date", "Ngày sinh mới", "15/13/1988", {}),
    ("UY-QUYEN", "authorised_birth_date", "Ngày sinh người được ủy quyền", "30/02/1990", {}),
    ("UY-QUYEN", "valid_from", "Ủy quyền từ ngày", "31/04/2027", {}),
    ("UY-QUYEN", "valid_to", "Ủy quyền đến ngày", "31/06/2027", {}),
])
def test_a_date_that_does_not_exist_is_told_so_and_kept_as_typed(owner, code, field, label, typed, extra):
    form = bound(code, owner.person, **{field: f" {typed} "}, **extra)
    assert form.errors[field] == [f"{label}: ngày {typed} không có thật. Kiểm tra lại ngày, tháng."]
    assert form[field].value().strip() == typed
    assert f'value=" {typed} "' in str(form[field])


@pytest.mark.parametrize(("code", "field", "typed", "message"), [
    ("608A", "new_birth_date", "1988-03-16", "Nhập ngày sinh dạng ngày/tháng/năm, ví dụ 25/12/1990."),
    ("608A", "new_birth_date", "31/2", "Nhập ngày sinh dạng ngày/tháng/năm, ví dụ 25/12/1990."),
    ("UY-QUYEN", "authorised_birth_date", "ngày 2", "Nhập ngày sinh người được ủy quyền dạng ngày/tháng/năm."),
])
def test_a_date_in_another_shape_still_gets_the_shape_to_type(owner, code, field, typed, message):
    assert bound(code, owner.person, **{field: typed}).errors[field] == [message]


def test_a_real_leap_day_is_accepted(owner):
    assert "new_birth_date" not in bound("608A", owner.person, new_birth_date="29/02/1988").errors


def test_the_authorisation_names_its_parties_as_the_paper_form_does(owner):
    """Giấy ủy quyền (mẫu 13-HSB): the person who authorises, what is authorised, signed by the person
    who authorises; not a request form's "người đề nghị" and "người kê khai"."""
    [page] = pages(declaration(owner, "UY-QUYEN"))
    text = squash(page)
    assert squash(f"Người ủy quyền Họ và tên {SIGNATURE[2]}") in text, page
    assert squash("Nội dung ủy quyền Họ và tên người được ủy quyền Trần Thị Hồng Nhung") in text, page
    assert squash(f"Người ủy quyền (Nộp trực tuyến qua Cổng dịch vụ BHXH số) {SIGNATURE[2]}") in text, page
    assert squash("người đề nghị") not in text.lower() and squash("Người kê khai") not in text, page


def test_the_authorisation_prints_its_form_code_above_its_title(owner):
    """The paper form names itself "Mẫu 13-HSB" above its title, as a TK1-TS prints "Mẫu TK1-TS"."""
    [page] = pages(declaration(owner, "UY-QUYEN"))
    assert squash("MẪU 13-HSB GIẤY ỦY QUYỀN") in squash(page).upper(), page


@pytest.mark.parametrize(("id_type", "number", "label"), [
    ("cccd", "079088012345", "Số CCCD/Căn cước"), ("cmnd", "025123456", "Số CMND"), ("passport", "C1234567", "Số hộ chiếu")])
def test_the_identity_papers_number_is_labelled_as_a_number_without_the_screens_hint(owner, id_type, number, label):
    """The row of the person's identity paper reads "Số CCCD/Căn cước 079…", not the screen's choice
    "Căn cước công dân / Căn cước (12 số)", whose count of digits is a hint for typing it."""
    owner.person.id_type, owner.person.id_number = id_type, number
    owner.person.save(update_fields=["id_type", "id_number"])
    text = squash(pages(declaration(owner, "607A"))[0])
    assert squash(f"{label} {number}") in text, text
    assert "(12số)" not in text and "(9số)" not in text and squash("Căn cước công dân") not in text and squash("Chứng minh nhân dân") not in text


@pytest.mark.parametrize("code", ["CHUYEN-NOI-HUONG", "THAY-DOI-CHI-TRA"])
def test_a_request_is_signed_by_the_person_requesting_as_its_heading_names_them(owner, code):
    """An "Đơn đề nghị" names its applicant "người đề nghị" above their details and under their
    signature; "người kê khai" signs a "Tờ khai" (TK1-TS, the Decree 166/2016 declaration)."""
    [page] = pages(declaration(owner, code))
    text = squash(page)
    assert squash("Thông tin người đề nghị") in text, page
    assert squash(f"Người đề nghị {SIGNATURE[1]} {SIGNATURE[2]}") in text, page
    assert squash("Người kê khai") not in text, page
