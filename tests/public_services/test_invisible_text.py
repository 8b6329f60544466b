"""Names and texts of the procedures and the feedback form: text made only of invisible characters
(zero-width, format, control characters, noncharacters) is empty and gets the field's "Nhập …"
message; such characters never reach the stored answers or the declarations; a person's name is
letters, not digits, emoji or markup."""

import pytest

from accounts.models import Person
from lookup.models import Agency
from public_services.forms import FeedbackForm
from public_services.procedures import registry
from public_services.services import filing_complete, filing_receive, filing_start

from .helpers import answers, district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

ZERO_WIDTH = "\u200b\u200b"
NOT_A_NAME = ("Họ và tên chỉ được gồm chữ cái, dấu cách và các dấu gạch nối (-), nháy đơn (') hoặc chấm (.); "
              "không được có chữ số hay ký hiệu.")


def errors(code, person, **overrides):
    procedure = registry.get(code)
    bound = procedure.form(data=answers(code, **overrides), person=person, kept=procedure.upload_fields)
    bound.is_valid()
    return bound.errors


@pytest.mark.parametrize(("code", "overrides", "field", "message"), [
    ("608A", {"new_full_name": ZERO_WIDTH}, "new_full_name", "Nhập họ và tên mới."),
    ("608A", {"details": "\u2060\ufeff\x01\ufffe"}, "details", "Nhập lý do thay đổi thông tin."),
    ("607A", {"details": "\u200b\r\n\u200b"}, "details", "Nhập nội dung yêu cầu cấp lại sổ."),
    ("607A", {"delivery_address": "\u200b"}, "delivery_address", "Nhập địa chỉ nhận kết quả qua bưu điện."),
    ("UY-QUYEN", {"authorised_name": ZERO_WIDTH}, "authorised_name", "Nhập họ và tên người được ủy quyền."),
    ("CHUYEN-NOI-HUONG", {"new_address": ZERO_WIDTH}, "new_address", "Nhập địa chỉ nơi ở mới."),
    ("THAY-DOI-CHI-TRA", {"new_address": "\u200e\u200f"}, "new_address", "Nhập địa chỉ liên hệ."),
    ("THAY-DOI-CHI-TRA", {"method": "tai_khoan", "bank": "VCB", "account_number": "0123456789", "post_office": "",
                          "account_holder": ZERO_WIDTH}, "account_holder", "Nhập tên chủ tài khoản."),
    ("THAY-DOI-CHI-TRA", {"post_office": "\u200b"}, "post_office", "Nhập điểm chi trả bưu điện muốn nhận."),
])
def test_invisible_text_is_no_answer(owner, code, overrides, field, message):
    assert errors(code, owner.person, **overrides)[field] == [message]


@pytest.mark.parametrize("name", ["Nguyễn Văn 123", "😀😀😀", "<script>x</script>", "Trần#Thị"])
@pytest.mark.parametrize(("code", "field", "extra"), [
    ("608A", "new_full_name", {}), ("UY-QUYEN", "authorised_name", {}),
    ("THAY-DOI-CHI-TRA", "account_holder", {"method": "tai_khoan", "bank": "VCB", "account_number": "0123456789",
                                            "post_office": ""}),
])
def test_a_persons_name_is_letters(owner, code, field, extra, name):
    assert errors(code, owner.person, **extra, **{field: name})[field] == [NOT_A_NAME]


def test_control_characters_never_reach_the_answers_or_the_registry(owner, district_officer):
    filing = submit(owner, "608A", new_full_name="Nguyễn\u200b Văn\x1b Đức\u200d Thành",
                    details="Cải chính\x01 họ tên\ufffe\r\ntheo giấy khai sinh\u202e")
    assert filing.data["new_full_name"] == "Nguyễn Văn Đức Thành"
    assert filing.data["details"] == "Cải chính họ tên\ntheo giấy khai sinh"
    filing_receive(filing=filing, officer=district_officer)
    filing_start(filing=filing, officer=district_officer)
    filing_complete(filing=filing, officer=district_officer)
    assert Person.objects.get(pk=owner.person_id).full_name == "Nguyễn Văn Đức Thành"


def test_feedback_of_invisible_characters_is_asked_for_again(reference_data):
    data = {"kind": "phan_anh", "topic": "khac", "agency": Agency.objects.get(code="07901").pk,
            "content": "\u200b\u2060\x01", "full_name": "\u200b", "phone": "0912345678", "email": ""}
    bound = FeedbackForm(data=data)
    assert not bound.is_valid()
    assert bound.errors["content"] == ["Nhập nội dung phản ánh, kiến nghị."]
    assert bound.errors["full_name"] == ["Nhập họ và tên người gửi."]
    bound = FeedbackForm(data={**data, "content": "Nội dung", "full_name": "Trần Thị Mai 😀"})
    assert bound.errors == {"full_name": [NOT_A_NAME]}
