"""Messages of the procedure and feedback forms: a wrong phone number explained once, each
phone field asking for itself by its label, a CCCD of the wrong length in plain words, and
"Mã thủ tục" shown only for procedures that have a public VssID code."""

import re

import pytest

from lookup.models import Agency
from public_services.forms import FeedbackForm
from public_services.models import Filing
from public_services.procedures import registry
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401

from .helpers import answers, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

MOBILE_INVALID = "Nhập số điện thoại di động Việt Nam gồm 10 chữ số, ví dụ 0912 345 678."
CCCD_INVALID = "Số CCCD gồm đúng 12 chữ số."

AUTHORISATION = "/dich-vu-cong/uy-quyen-nhan-thay/"
BOOK = "/dich-vu-cong/cap-lai-so-bhxh/"


def form(code, person, **overrides):
    procedure = registry.get(code)
    bound = procedure.form(data=answers(code, **overrides), person=person, kept=procedure.upload_fields)
    bound.is_valid()
    return bound


def post(client, url, code, **overrides) -> str:
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode()).group(1)
    response = client.post(url, {**answers(code, **overrides), "idempotency_key": key})
    assert response.status_code == 200
    return response.content.decode()


def summary(html) -> list[str]:
    box = re.search(r'class="error-summary".*?</ul>', html, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", box, re.S)]


# --- a wrong phone number: one message ------------------------------------------------------

CONTACT = "Số điện thoại di động để cơ quan BHXH liên hệ: nhập số điện thoại di động Việt Nam gồm 10 chữ số, ví dụ 0912 345 678."


@pytest.mark.parametrize("phone", ["12345", "abc", "0123", "02838123456", "+14155550100"])
@pytest.mark.parametrize(("code", "field", "message"), [
    ("607A", "phone", CONTACT),
    ("UY-QUYEN", "authorised_phone", "Số điện thoại người được ủy quyền: nhập số điện thoại di động Việt Nam gồm 10 "
                                     "chữ số, ví dụ 0912 345 678."),
    ("UY-QUYEN", "phone", CONTACT),
    ("THAY-DOI-CHI-TRA", "new_phone", "Số điện thoại di động của người hưởng: nhập số điện thoại di động Việt Nam "
                                      "gồm 10 chữ số, ví dụ 0912 345 678."),
    ("CHUYEN-NOI-HUONG", "phone", CONTACT)])
def test_a_wrong_phone_gives_one_error_on_every_procedure_phone_field(owner, code, field, message, phone):
    """One error, whether the number is no number at all or no Vietnamese mobile, naming its field."""
    assert form(code, owner.person, **{field: phone}).errors[field] == [message]


def test_the_procedure_page_shows_a_wrong_phone_once(client, owner):
    client.force_login(owner)
    html = post(client, BOOK, "607A", phone="12345")
    assert summary(html) == [CONTACT]
    assert html.count(CONTACT) == 2 and html.count('id="id_phone_error"') == 1


# --- every field wrong at once: no line twice in the summary --------------------------------

def wrong_answer(name, field):
    """A value the field refuses by itself, the same for every field of its kind."""
    from django import forms as django_forms
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.forms import VnMobileField
    from vssid_portal.documents import DocumentsField
    from vssid_portal.forms import CodeField, DayMonthYearField, EmailField, NameField
    from vssid_portal.images import SafeImageField

    kinds = [(VnMobileField, "12345"), (DayMonthYearField, "31/02/2027"), (EmailField, "ten@"), (NameField, "Văn 123"),
             (CodeField, "1" * 40), (DocumentsField, None),
             (SafeImageField, lambda: SimpleUploadedFile(f"{name}.jpg", b"%PDF-1.4 no image", "image/jpeg")),
             (django_forms.MultipleChoiceField, ["khong-co"]), (django_forms.ChoiceField, "khong-co"),
             (django_forms.ModelChoiceField, "khong-co"),
             (django_forms.CharField, lambda: "x" * ((field.max_length or 1000) + 1))]
    value = next(value for kind, value in kinds if isinstance(field, kind))
    return value() if callable(value) else value


@pytest.mark.parametrize("code", [procedure.code for procedure in registry.all_procedures()])
def test_every_field_wrong_at_once_lists_no_sentence_twice(client, owner, facility, code):  # noqa: F811
    """Two fields refused alike (two phone numbers, the same impossible date typed in two dates, two
    choices not offered) are two different lines of the error summary, each naming its field."""
    procedure = registry.get(code)
    issue(owner.person, facility)  # a card in use, for its reissue
    wrong = {name: wrong_answer(name, field) for name, field in procedure.form_class.base_fields.items()}
    client.force_login(owner)
    url = f"/dich-vu-cong/{procedure.slug}/"
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode()).group(1)
    data = {**answers(code), **{name: value for name, value in wrong.items() if value is not None}}
    response = client.post(url, {**data, "idempotency_key": key})
    assert response.status_code == 200
    messages = summary(response.content.decode())
    assert len(messages) > 1 and len(messages) == len(set(messages)), messages


@pytest.mark.parametrize("phone", ["12345", "02838123456"])
def test_the_feedback_form_gives_a_wrong_phone_one_error(reference_data, phone):
    data = {"kind": "phan_anh", "topic": "khac", "agency": Agency.objects.get(code="07901").pk,
            "content": "Nội dung", "full_name": "Trần Thị Mai", "phone": phone, "email": ""}
    bound = FeedbackForm(data=data)
    assert not bound.is_valid() and bound.errors["phone"] == [MOBILE_INVALID]


# --- two texts too long: two different messages --------------------------------------------

def test_each_text_too_long_on_607a_names_itself(client, owner):
    """607A's request and attached-documents texts refused alike: the summary says which is which."""
    client.force_login(owner)
    messages = summary(post(client, BOOK, "607A", details="x" * 1001, attachments="x" * 1001))
    assert messages == ["Nội dung yêu cầu: nhập tối đa 1000 ký tự.", "Hồ sơ kèm theo: nhập tối đa 1000 ký tự."]


# --- two phone fields: two different questions ----------------------------------------------

def test_each_empty_phone_field_asks_for_itself_by_its_label(client, owner):
    errors = form("UY-QUYEN", owner.person, authorised_phone="", phone="").errors
    assert errors["authorised_phone"] == ["Nhập số điện thoại người được ủy quyền."]
    assert errors["phone"] == ["Nhập số điện thoại di động để cơ quan BHXH liên hệ."]
    assert form("THAY-DOI-CHI-TRA", owner.person, new_phone="").errors["new_phone"] == [
        "Nhập số điện thoại di động của người hưởng."]
    client.force_login(owner)
    messages = summary(post(client, AUTHORISATION, "UY-QUYEN", authorised_phone="", phone=""))
    assert len(messages) == len(set(messages)) == 2


# --- a CCCD of the wrong length -------------------------------------------------------------

@pytest.mark.parametrize("number", ["0" * 25, "07919001234567", "12345", "07919001234a"])
def test_a_cccd_of_the_wrong_length_or_not_digits_says_it_has_12_digits(owner, number):
    assert form("UY-QUYEN", owner.person, authorised_id_number=number).errors["authorised_id_number"] == [CCCD_INVALID]
    errors = form("608A", owner.person, changes=["id_number"], new_id_number=number).errors
    assert errors["new_id_number"] == [CCCD_INVALID]


def test_a_too_long_cccd_on_the_page_has_no_django_wording(client, owner):
    client.force_login(owner)
    html = post(client, AUTHORISATION, "UY-QUYEN", authorised_id_number="0" * 25)
    assert summary(html) == [CCCD_INVALID] and "tối đa" not in html.split("error-summary", 1)[1].split("</ul>")[0]


# --- "Mã thủ tục" only for real VssID codes -------------------------------------------------

def test_only_607a_and_608a_have_a_public_code():
    codes = {procedure.code: getattr(procedure, "public_code", "") for procedure in registry.all_procedures()}
    assert {code: public for code, public in codes.items() if public} == {"607A": "607A", "608A": "608A"}


def test_internal_codes_are_not_shown_to_citizens(client, owner):
    public = {"607A", "608A"}
    internal = [procedure.code for procedure in registry.all_procedures() if procedure.code not in public]
    html = client.get("/dich-vu-cong/").content.decode()
    assert "Mã thủ tục 607A" in html and "Mã thủ tục 608A" in html
    assert html.count("Mã thủ tục") == 2 and not any(code in html for code in internal)
    client.force_login(owner)
    for procedure in registry.all_procedures():
        url = f"/dich-vu-cong/{procedure.slug}/"
        page = client.get(url).content.decode()
        assert ("Mã thủ tục" in page) == (procedure.code in public), url
        assert procedure.code in public or procedure.code not in page, url
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(AUTHORISATION).content.decode()).group(1)
    assert client.post(AUTHORISATION, {**answers("UY-QUYEN"), "idempotency_key": key}).status_code == 302
    review = client.get(f"{AUTHORISATION}xem-lai/").content.decode()
    assert "mã thủ tục" not in review and "UY-QUYEN" not in review
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(BOOK).content.decode()).group(1)
    assert client.post(BOOK, {**answers("607A"), "idempotency_key": key}).status_code == 302
    assert "(mã thủ tục 607A)" in client.get(f"{BOOK}xem-lai/").content.decode()


def test_the_stored_procedure_code_is_unchanged(owner):
    filing = submit(owner, "UY-QUYEN")
    assert Filing.objects.get(pk=filing.pk).procedure_code == "UY-QUYEN" and not filing.procedure.public_code


@pytest.mark.parametrize(("code", "shown"), [("607A", "(607A)"), ("UY-QUYEN", None), ("CHUYEN-NOI-HUONG", None)])
def test_the_declaration_names_only_a_public_code(owner, code, shown):
    from django.template.loader import render_to_string

    filing = submit(owner, code)
    procedure = filing.procedure
    html = render_to_string(procedure.pdf_template, {
        "filing": filing, "procedure": procedure, "identity": filing.identity, "rows": procedure.rows(filing.data),
        "data": filing.data, "documents": list(filing.documents.all()),
    })
    assert str(procedure.name) in html  # a lazy translation
    if shown:
        assert f"{procedure.name} {shown}" in html
    else:
        assert code not in html


def test_the_review_names_the_declaration_as_written_and_608a_does_not_send_to_itself(client, owner):
    client.force_login(owner)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(BOOK).content.decode()).group(1)
    assert client.post(BOOK, {**answers("607A"), "idempotency_key": key}).status_code == 302
    review = client.get(f"{BOOK}xem-lai/").content.decode()
    assert "Cổng tạo “Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT (mẫu TK1-TS)”" in review
    assert "Dùng thủ tục 608A để điều chỉnh" in client.get(BOOK).content.decode()
    change = client.get("/dich-vu-cong/cap-lai-so-bhxh-thay-doi-thong-tin/").content.decode()
    assert "Dùng thủ tục 608A" not in change and "Kê khai thông tin cần điều chỉnh ở phần dưới" in change


def test_the_authorisation_asks_for_its_start_and_end_dates_by_name(owner):
    errors = form("UY-QUYEN", owner.person, valid_from="", valid_to="").errors
    assert errors["valid_from"] == ["Nhập ngày bắt đầu ủy quyền."]
    assert errors["valid_to"] == ["Nhập ngày kết thúc ủy quyền."]
    errors = form("UY-QUYEN", owner.person, valid_from="1 tháng 5", valid_to="hết năm").errors
    assert errors["valid_from"] == ["Nhập ngày bắt đầu ủy quyền dạng ngày/tháng/năm."]
    assert errors["valid_to"] == ["Nhập ngày kết thúc ủy quyền dạng ngày/tháng/năm."]
