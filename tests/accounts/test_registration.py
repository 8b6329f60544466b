"""Citizen registration: registry match, photos, one open registration per code, PDF, status."""

import copy
import datetime
import json
import math
import os
import re
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.forms import DeclarationForm
from accounts.models import Registration, RegistrationEvent, User
from accounts.sessions import REGISTRATION_DRAFT
from notifications.models import Message
from tests.html_language import languages_of
from tests.security.test_limits import limit

from .helpers import declaration_data, jpeg, make_person, register, seconds_left

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def person(db, reference_data):
    return make_person()


def test_declaration_matching_the_registry_accent_and_case_insensitively_moves_to_photos(client, person):
    response = client.post("/dang-ky/", declaration_data(full_name="  NGUYỄN văn đức "))
    assert response.status_code == 302 and response["Location"] == "/dang-ky/anh/"


# One answer whichever of the three does not match: told which one failed, anyone who knows a code
# would find its holder's birth date one field at a time.
MISMATCH = ("Mã số BHXH, họ và tên, ngày sinh hoặc số giấy tờ tùy thân không khớp với hồ sơ BHXH: hãy kiểm tra lại "
            "mã số BHXH theo sổ BHXH hoặc thẻ BHYT và ba thông tin còn lại theo giấy tờ tùy thân.")
WRONG = {"full_name": "Nguyễn Văn Đạt", "birth_date": "16/03/1988", "id_number": "079088099999",
         "bhxh_code": "0000000001"}  # a code the registry does not hold


@pytest.mark.parametrize("fields", [
    ("full_name",), ("birth_date",), ("id_number",), ("full_name", "birth_date"), ("birth_date", "id_number"),
    ("full_name", "birth_date", "id_number"), ("bhxh_code",),
])
def test_a_mismatch_gets_one_answer_that_does_not_say_which_field_is_wrong(client, person, fields):
    typed = {field: WRONG[field] for field in fields}
    response = client.post("/dang-ky/", declaration_data(**typed))
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Lỗi:" in html
    assert errors_of(html) == errors_of(client.post("/dang-ky/", declaration_data(**WRONG)).content.decode())
    # On the first of the four, the code the sentence names first: the summary links to where checking starts.
    assert f'<li><a href="#id_bhxh_code">{MISMATCH}</a></li>' in errors_of(html)
    tags = {name: tag for tag, name in re.findall(r'(<input[^>]*name="([^"]+)"[^>]*>)', html)}
    assert [name for name in ("bhxh_code", "full_name", "id_number", "birth_date")
            if 'aria-invalid="true"' in tags[name]] == ["bhxh_code"]
    # read with the field: the message's own element is one of those its input is described by
    assert "id_bhxh_code_error" in re.search(r'aria-describedby="([^"]+)"', tags["bhxh_code"]).group(1).split()
    assert re.search(rf'<span class="error-message" id="id_bhxh_code_error">.*?{re.escape(MISMATCH)}', html)
    for said in ("Họ và tên không khớp", "Ngày sinh không khớp", "Số giấy tờ tùy thân không khớp"):
        assert said not in html
    # what the citizen typed is kept; the registry's values never appear
    assert all(f'value="{WRONG[field]}"' in html for field in fields)
    registry_values = {"full_name": "Nguyễn Văn Đức", "birth_date": "15/03/1988", "id_number": "079088012345"}
    assert all(registry_values[field] not in html for field in fields if field in registry_values)


@pytest.mark.parametrize("typed,message", [
    ("07908801234", "Số CCCD gồm đúng 12 chữ số"),
    ("999088012345", "Ba chữ số đầu của số CCCD là mã tỉnh nơi đăng ký khai sinh; không tỉnh nào có mã 999. Hãy kiểm tra lại số CCCD."),
    ("079090012345", "Chữ số thứ 4 đến 6 của số CCCD cho biết giới tính, thế kỷ sinh và năm sinh: người sinh năm 1988 "
                     "có các chữ số này là 088 (nam) hoặc 188 (nữ). Hãy kiểm tra lại số CCCD và ngày sinh."),
])
def test_a_malformed_id_number_is_told_on_its_field_without_using_a_try(client, person, typed, message):
    """Its shape and its digits against the birth date typed say nothing of the registry: told as such,
    before the registry is asked, so a citizen who mistypes it is not locked out for an hour."""
    for _ in range(9):  # more than the code's limit of registry checks
        html = client.post("/dang-ky/", declaration_data(id_number=typed)).content.decode()
        assert message in errors_of(html) and 'href="#id_id_number"' in errors_of(html) and MISMATCH not in html
    assert client.post("/dang-ky/", declaration_data()).status_code == 302


@pytest.mark.parametrize("id_type,typed,message", [
    ("cccd", "123", "Số CCCD gồm đúng 12 chữ số."),
    ("cccd", "999088012345", "Ba chữ số đầu của số CCCD là mã tỉnh nơi đăng ký khai sinh; không tỉnh nào có mã 999. Hãy kiểm tra lại số CCCD."),
    ("cmnd", "123", "Số CMND gồm đúng 9 chữ số."),
    ("passport", "123", "Số hộ chiếu gồm 1 chữ cái in hoa và 7–8 chữ số"),
])
def test_an_id_number_wrong_in_itself_is_told_with_the_other_mistakes(client, person, id_type, typed, message):
    """What the number alone says (its digits, its length for its type) needs no other field: told in the
    first answer beside the other fields' mistakes, not once they are mended."""
    html = client.post("/dang-ky/", declaration_data(id_type=id_type, id_number=typed, street="",
                                                     birth_date="31/02/1988")).content.decode()
    summary = errors_of(html)
    assert message in summary and 'href="#id_id_number"' in summary
    assert 'href="#id_street"' in summary and 'href="#id_birth_date"' in summary


def test_an_id_number_is_compared_with_the_birth_date_only_once_that_is_valid(client, person):
    """The CCCD's birth-year digits are checked against a birth date typed right, never against none."""
    mismatched = declaration_data(id_number="079090012345")  # born in 1990 by its digits, 1988 typed
    html = client.post("/dang-ky/", {**mismatched, "birth_date": "31/02/1988", "street": ""}).content.decode()
    assert "href=\"#id_birth_date\"" in errors_of(html) and "Chữ số thứ 4 đến 6" not in html
    assert 'href="#id_id_number"' not in errors_of(html)


REGISTRY_TO_CORRECT = ("Hồ sơ BHXH của mã số này có thông tin cần được cơ quan BHXH điều chỉnh trước khi đăng ký tài "
                       "khoản. Hãy mang giấy tờ tùy thân đến cơ quan BHXH quản lý hoặc gọi 1900 9068 để được hướng dẫn.")


def test_a_record_whose_own_number_contradicts_its_recorded_sex_sends_the_citizen_to_the_agency(client, reference_data):
    """The form asks no sex: the record's own number contradicting the sex the registry holds is the
    registry's to correct. Told only after a match, and without naming what is wrong, so the answer says
    nothing of the record (its sex) that a mismatch would not; a number that is not the record's gets the
    single mismatch answer."""
    make_person(sex=2, id_number="079088012345")  # a woman recorded with a man's century/sex digit
    other = client.post("/dang-ky/", declaration_data(id_number="079088012399")).content.decode()
    assert MISMATCH in errors_of(other) and "giới tính" not in other and REGISTRY_TO_CORRECT not in other
    matched = client.post("/dang-ky/", declaration_data())
    html = matched.content.decode()
    assert matched.status_code == 200 and REGISTRY_TO_CORRECT in errors_of(html)
    assert MISMATCH not in html and "giới tính" not in errors_of(html) and "Nữ" not in errors_of(html)
    assert 'href="#id_' not in errors_of(html)  # nothing the citizen typed is to be changed
    assert 'aria-invalid="true"' not in html


def invalid_fields(html: str) -> list[str]:
    return re.findall(r'<input[^>]*name="([^"]+)"[^>]*aria-invalid="true"|<input[^>]*aria-invalid="true"[^>]*name="([^"]+)"',
                      html)


def test_a_code_not_in_the_registry_gets_the_answer_of_a_code_whose_identity_does_not_match(client, person):
    """Anyone may post the form, 20 times an hour from an address, with no challenge: told "not found"
    for a code the registry lacks and "does not match" for one it holds, they would learn which codes
    exist. Both get the one answer, which names the code among what to check."""
    unknown = client.post("/dang-ky/", declaration_data(bhxh_code="7909999999"), REMOTE_ADDR="10.0.6.1")
    mismatched = client.post("/dang-ky/", declaration_data(**WRONG), REMOTE_ADDR="10.0.6.2")
    html = unknown.content.decode()
    assert unknown.status_code == mismatched.status_code == 200
    assert errors_of(html) == errors_of(mismatched.content.decode()) and MISMATCH in errors_of(html)
    assert invalid_fields(html) == invalid_fields(mismatched.content.decode())
    assert "Không tìm thấy" not in html


def test_a_code_not_in_the_registry_is_counted_against_its_own_limit_as_any_code(client, person):
    for n in range(8):  # each from another address: only the code's own limit can stop the ninth
        response = client.post("/dang-ky/", declaration_data(bhxh_code="7909999999"), REMOTE_ADDR=f"10.0.7.{n}")
        assert response.status_code == 200 and MISMATCH in response.content.decode()
    blocked = client.post("/dang-ky/", declaration_data(bhxh_code="7909999999"), REMOTE_ADDR="10.0.7.99")
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()


@pytest.mark.parametrize("typed,message", [
    ("15/03/2099", "Ngày sinh không được sau ngày hôm nay."), ("01/01/0001", "Ngày sinh phải từ ngày 01/01/1900 trở về sau."),
])
def test_a_birth_date_nobody_can_have_is_told_so_not_compared_with_the_registry(client, person, typed, message):
    html = client.post("/dang-ky/", declaration_data(birth_date=typed)).content.decode()
    assert message in html and MISMATCH not in html


def test_year_only_birth_date_in_registry_matches_on_the_year(client, reference_data):
    make_person(birth=datetime.date(1960, 1, 1), year_only=True, id_number="079060012345")
    response = client.post("/dang-ky/", declaration_data(birth_date="20/08/1960", id_number="079060012345"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bhxh_code", "79012345", "10 chữ số"),
        ("phone", "02838123456", "di động"),
        ("birth_date", "1988-03-15", "ngày/tháng/năm"),
        ("birth_date", "31/02/1988", "Ngày sinh: ngày 31/02/1988 không có thật. Kiểm tra lại ngày, tháng."),
        ("id_type", "the_xanh", "Loại giấy tờ tùy thân: hãy chọn một giá trị trong danh sách."),
        ("email", "khong-phai-email", "email"),
        ("street", "", "số nhà"),
    ],
)
def test_malformed_declaration_gets_a_vietnamese_message(client, person, field, value, message):
    response = client.post("/dang-ky/", declaration_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_ward_must_belong_to_the_chosen_province(client, person):
    from lookup.models import Ward

    other = Ward.objects.exclude(province__code="79").first()
    response = client.post("/dang-ky/", declaration_data(ward=str(other.pk)))
    assert "Chọn phường/xã thuộc tỉnh/thành phố đã chọn." in response.content.decode()


def test_province_change_lists_its_wards_without_javascript(client, person):
    """The button's post keeps what was typed in the registration's session and answers with step 1 by a
    GET (post/redirect/get), which Back loads again with the province's wards, never the post, which a
    browser would offer only to send again; so whenever step 1 is opened again, until it is sent."""
    from lookup.models import Province

    hanoi = Province.objects.get(code="01")
    response = client.post("/dang-ky/", {**declaration_data(province=str(hanoi.pk), ward="", street="12 Hàng Bài"),
                                         "refresh_wards": "1"})
    assert response.status_code == 302 and response["Location"] == "/dang-ky/"
    for _ in range(2):
        html = client.get("/dang-ky/").content.decode()
        assert "Phường Hoàn Kiếm" in html and "Phường Sài Gòn" not in html and 'value="12 Hàng Bài"' in html
        assert f'<option value="{hanoi.pk}" selected>' in html
        assert 'class="error-summary"' not in html  # a refresh is not a failed submit
    response = client.post("/dang-ky/", declaration_data(street="45 Lê Lợi"))  # sent: judged, and passed
    assert response.status_code == 302 and response["Location"] == "/dang-ky/anh/"
    html = client.get("/dang-ky/").content.decode()
    assert 'value="45 Lê Lợi"' in html and "12 Hàng Bài" not in html and "Phường Hoàn Kiếm" not in html


UNSAVED = "Thông tin bạn vừa sửa dưới đây chưa được lưu."


def test_changes_kept_by_a_ward_refresh_after_step_1_passed_hold_steps_2_and_3_until_sent(client, person):
    """Step 1 passed with "12 Lê Lợi", then changed and its ward list refreshed without JavaScript
    ("12 Hàng Bài", another province): step 1 shows what was typed and says it is not saved, and steps
    2 and 3 send the visitor back to it until "Tiếp tục" sends it, instead of going on with, and
    registering, the address accepted before while step 1 showed another."""
    from lookup.models import Agency, Province, Ward

    hanoi = Province.objects.get(code="01")
    hoan_kiem = Ward.objects.get(name="Phường Hoàn Kiếm")
    assert client.post("/dang-ky/", declaration_data()).status_code == 302
    assert client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()}).status_code == 302
    assert UNSAVED not in client.get("/dang-ky/").content.decode()
    changed = {**declaration_data(province=str(hanoi.pk), ward="", street="12 Hàng Bài"), "refresh_wards": "1"}
    assert client.post("/dang-ky/", changed).status_code == 302
    html = client.get("/dang-ky/").content.decode()
    assert UNSAVED in html and 'value="12 Hàng Bài"' in html
    agency = Agency.objects.get(code="07901").pk
    for response in (client.get("/dang-ky/anh/"), client.get("/dang-ky/co-quan/"),
                     client.post("/dang-ky/anh/", {"portrait": jpeg()}),
                     client.post("/dang-ky/co-quan/", {"agency": agency})):
        assert response.status_code == 302 and response["Location"] == "/dang-ky/"
    assert not Registration.objects.exists()

    response = client.post("/dang-ky/", declaration_data(province=str(hanoi.pk), ward=str(hoan_kiem.pk),
                                                         street="12 Hàng Bài"))
    assert response["Location"] == "/dang-ky/anh/" and UNSAVED not in client.get("/dang-ky/").content.decode()
    assert client.get("/dang-ky/co-quan/").status_code == 200
    assert client.post("/dang-ky/co-quan/", {"agency": agency}).status_code == 302
    assert Registration.objects.get().street == "12 Hàng Bài"


def test_a_ward_refresh_that_changed_nothing_accepted_lets_the_steps_go_on(client, person):
    assert client.post("/dang-ky/", declaration_data()).status_code == 302
    same = {**declaration_data(phone="0987 654 321", birth_date="15/3/1988"), "refresh_wards": "1"}
    assert client.post("/dang-ky/", same).status_code == 302
    assert UNSAVED not in client.get("/dang-ky/").content.decode()
    assert client.get("/dang-ky/anh/").status_code == 200


def another_citizen_logs_in(client, sms_outbox, capture) -> None:
    """Another citizen logs in on the browser `client` (password, then the SMS code), as at a shared
    computer after a visitor left."""
    from tests.accounts.test_login import CONFIRM, is_logged_in, submit_password
    from tests.accounts.test_otp import codes_sent, make_citizen

    make_citizen(code="7902345678")
    with capture(execute=True):
        assert submit_password(client, "7902345678")["Location"] == CONFIRM
    with capture(execute=True):
        response = client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})
    assert response.status_code == 302 and is_logged_in(client)


def test_a_login_drops_the_registration_typed_before_in_that_browser_and_its_photos(
        client, person, sms_outbox, django_capture_on_commit_callbacks):
    """At a shared computer A left a registration half-way (step 1 accepted, photos kept, an address
    typed since) without logging in; B logs in on the same browser. Django's login keeps what the
    session held: B's GET /dang-ky/ showed A's name and address. The login now drops the registration
    and deletes its photos at once, instead of leaving them to the sweep a day later."""
    from lookup.models import Province
    assert client.post("/dang-ky/", declaration_data(full_name="Nguyễn Văn Đức")).status_code == 302
    assert client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()}).status_code == 302
    hanoi = Province.objects.get(code="01")
    client.post("/dang-ky/", {**declaration_data(province=str(hanoi.pk), street="12 Hàng Bài"), "refresh_wards": "1"})
    photos = list(client.session[REGISTRATION_DRAFT]["photos"].values())
    assert len(photos) == 3 and all(default_storage.exists(name) for name in photos)

    another_citizen_logs_in(client, sms_outbox, django_capture_on_commit_callbacks)
    assert REGISTRATION_DRAFT not in client.session
    assert not any(default_storage.exists(name) for name in photos)
    html = client.get("/dang-ky/").content.decode()
    assert 'value="Nguyễn Văn Đức"' not in html and "12 Hàng Bài" not in html and "7901234567" not in html
    assert client.get("/dang-ky/anh/")["Location"] == "/dang-ky/"


def test_a_login_drops_the_registrations_the_browser_sent_before_so_their_status_pages_ask_for_the_lookup(
        client, person, sms_outbox, django_capture_on_commit_callbacks):
    """A registers at a shared computer and leaves; B logs in on the same browser and opens A's status
    link from the history. The login kept the references the browser had sent: B saw A's registration
    and was given a fresh link to its declaration (name, ID number, address)."""
    with django_capture_on_commit_callbacks(execute=True):
        link = register(client)["Location"]
    assert "Tải tờ khai đăng ký (PDF)" in client.get(link).content.decode()

    another_citizen_logs_in(client, sms_outbox, django_capture_on_commit_callbacks)
    refused = client.get(link, follow=True)
    assert refused.redirect_chain[-1][0] == "/dang-ky/tra-cuu/"
    page = refused.content.decode()
    assert "Tải tờ khai đăng ký (PDF)" not in page and "/tep/" not in page


def test_the_scripts_ward_refresh_answers_the_list_and_keeps_nothing(client, person):
    from lookup.models import Province

    hanoi = Province.objects.get(code="01")
    response = client.post("/dang-ky/", {**declaration_data(province=str(hanoi.pk), ward="", street="12 Hàng Bài"),
                                         "refresh_wards": "1"}, HTTP_X_REQUESTED_WITH="refresh-list")
    assert response.status_code == 200 and "Phường Hoàn Kiếm" in response.content.decode()
    assert "12 Hàng Bài" not in client.get("/dang-ky/").content.decode()


def test_a_forged_ward_refresh_keeps_in_the_session_only_what_the_form_could_hold(client, person):
    big = "x" * 600_000
    response = client.post("/dang-ky/", {**declaration_data(full_name=big, street=big, email=big, forged=big),
                                         "province": "9" * 500_000, "ward": "1" * 60, "refresh_wards": "1"})
    assert response.status_code == 302
    typed = client.session[REGISTRATION_DRAFT]["typed"]
    assert set(typed) <= set(DeclarationForm.base_fields)
    assert typed["province"] is None and typed["ward"] is None
    assert len(typed["full_name"]) == 100 and len(typed["street"]) == 200
    assert len(json.dumps(client.session[REGISTRATION_DRAFT])) < 5_000


def test_the_street_says_it_is_the_first_address_line_for_autofill(client, person):
    """WCAG 1.3.5: the single-line street beside the province and ward lists is address-line1;
    street-address is the whole address on several lines, for a textarea."""
    html = client.get("/dang-ky/").content.decode()
    [street] = re.findall(r'<input[^>]*name="street"[^>]*>', html)
    assert 'autocomplete="address-line1"' in street


def test_the_address_lists_say_their_purpose_for_autofill_as_the_contact_change(client, person):
    """WCAG 1.3.5, as the contact change's new address (GOV.UK's pattern): the province as the
    county, address-level1, the ward as the town, address-level2."""
    html = client.get("/dang-ky/").content.decode()
    tags = {name: tag for tag, name in re.findall(r'(<(?:input|select)[^>]*name="([^"]+)"[^>]*>)', html)}
    expected = {"province": "address-level1", "ward": "address-level2", "street": "address-line1"}
    assert {name: re.search(r'autocomplete="([^"]*)"', tags[name]).group(1) if "autocomplete" in tags[name] else None
            for name in expected} == expected


def test_existing_account_is_refused_with_a_pointer_to_password_recovery(client, person):
    User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)
    html = client.post("/dang-ky/", declaration_data()).content.decode()
    assert "đã có tài khoản" in html and "Quên mật khẩu" in html


def test_an_account_an_officer_deactivated_is_refused_with_a_pointer_to_the_agency(client, person):
    """"Quên mật khẩu" sends no code to a deactivated login: its holder is told to contact the agency,
    which alone can open it again, instead of being sent to a reset that never comes."""
    User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person, is_active=False)
    response = client.post("/dang-ky/", declaration_data())
    assert response.status_code == 200
    errors = errors_of(response.content.decode())
    assert "đang bị khóa" in errors and "cơ quan BHXH" in errors and "1900 9068" in errors
    assert "Quên mật khẩu" not in errors


@pytest.mark.parametrize("field", ["full_name", "birth_date", "id_number"])
def test_an_existing_account_is_told_only_to_a_declaration_that_matches_the_registry(client, person, field):
    """From the code alone the answer is the same with or without an account, as "Quên mật khẩu" keeps it."""
    without_account = client.post("/dang-ky/", declaration_data(**{field: WRONG[field]})).content.decode()
    User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)
    with_account = client.post("/dang-ky/", declaration_data(**{field: WRONG[field]})).content.decode()
    assert MISMATCH in with_account and "đã có tài khoản" not in with_account
    assert errors_of(with_account) == errors_of(without_account)


def errors_of(html: str) -> str:
    return html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]


def text_renamed_jpg():
    return SimpleUploadedFile("anh.jpg", "Không phải ảnh".encode() * 50, "image/jpeg")


def truncated_jpg():
    data = jpeg(size=(600, 400)).read()
    return SimpleUploadedFile("anh.jpg", data[: len(data) // 2], "image/jpeg")


def over_10_mb():
    """A real JPEG padded past the 10 MB cap (bytes after the end marker)."""
    data = jpeg(size=(600, 400)).read()
    return SimpleUploadedFile("anh.jpg", data + b"\0" * (10 * 1024 * 1024 + 1 - len(data)), "image/jpeg")


def pixel_bomb_png():
    """A small PNG file whose header declares 30,000 × 30,000 pixels (900 megapixels)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")
    assert len(data) < 2000
    return SimpleUploadedFile("anh.png", data, "image/png")


def gif():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("P", (120, 90)).save(out, "GIF")
    return SimpleUploadedFile("anh.gif", out.getvalue(), "image/gif")


@pytest.mark.parametrize(("upload", "message"), [
    (text_renamed_jpg, "Ảnh chân dung: tệp không phải là ảnh JPEG, PNG hoặc WebP hợp lệ."),
    (truncated_jpg, "Ảnh chân dung: ảnh bị hỏng hoặc không đầy đủ."),
    (over_10_mb, "Ảnh chân dung: ảnh quá lớn: tối đa 10 MB."),
    (pixel_bomb_png, "Ảnh chân dung: ảnh có kích thước quá lớn"),
    (gif, "Ảnh chân dung: chỉ nhận ảnh JPEG, PNG hoặc WebP."),
], ids=["text-renamed-jpg", "truncated", "over-10-mb", "pixel-bomb", "gif"])
def test_bad_photo_is_rejected_and_the_good_ones_are_kept(client, person, upload, message):
    client.post("/dang-ky/", declaration_data())
    response = client.post("/dang-ky/anh/", {"portrait": upload(), "id_front": jpeg(), "id_back": jpeg()})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'href="#id_portrait"' in html  # the error summary points at the refused photo
    assert 'alt="Ảnh mặt trước giấy tờ đã tải lên"' in html and 'alt="Ảnh mặt sau giấy tờ đã tải lên"' in html  # kept
    assert 'alt="Ảnh chân dung đã tải lên"' not in html  # the refused one is not stored
    # The kept photos' fields point at the previews, which are above the form.
    assert html.count("Đã nhận ảnh (xem ở trên).") == 2 and "bên dưới" not in html
    assert html.index('class="photo-previews"') < html.index('enctype="multipart/form-data"')
    declaration = client.get("/dang-ky/").content.decode()
    assert 'value="12 Lê Lợi"' in declaration and 'value="079088012345"' in declaration  # the answers are kept
    response = client.post("/dang-ky/anh/", {"portrait": jpeg()})  # only the missing one again
    assert response.status_code == 302 and response["Location"] == "/dang-ky/co-quan/"


def test_photo_preview_is_private_to_the_session(client, person):
    client.post("/dang-ky/", declaration_data())
    client.post("/dang-ky/anh/", {"portrait": jpeg()})
    html = client.get("/dang-ky/anh/").content.decode()
    link = html.split('<img src="', 1)[1].split('"', 1)[0]
    assert client.get(link).status_code == 200
    from django.test import Client

    assert Client().get(link).status_code == 404  # another browser holding the link


@pytest.mark.django_db(transaction=True)
def test_submit_records_the_registration_builds_the_pdf_and_tells_the_typed_address(client, person, mailoutbox, sms_outbox,
                                                                                    tmp_path):
    response = register(client, full_name="Nguyễn Văn Đức")
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.PENDING
    assert registration.agency.code == "07901"
    assert registration.phone.as_e164 == "+84987654321"
    for field in ("portrait", "id_front", "id_back", "declaration_pdf"):
        name = getattr(registration, field).name
        assert name and default_storage.exists(name), field
    leftovers = [f for _root, _dirs, files in os.walk(default_storage.path("registrations/tmp")) for f in files]
    assert leftovers == []  # temporary uploads removed once copied
    [sms] = sms_outbox()
    assert registration.reference in sms["text"]
    [mail] = mailoutbox
    assert mail.to == ["duc@example.vn"] and registration.reference in mail.subject
    assert mail.attachments == []  # the address was never confirmed: the declaration is on the status page
    with default_storage.open(registration.declaration_pdf.name, "rb") as handle:
        content = handle.read()
    path = tmp_path / "tk.pdf"
    path.write_bytes(content)
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    for expected in ("Tờkhaiđăngkýsửdụng,điềuchỉnhthôngtinvàngừngsửdụngphươngthứcgiaodịchđiệntửtronglĩnhvựcbảohiểmxãhội".upper(), "NguyễnVănĐức",
                     "7901234567", "079088012345", "15/03/1988", "0987654321", "[07901]BHXHQuận1", "Ngườikêkhai"):
        assert expected.lower() in text.lower(), expected

    status = client.get(response["Location"])
    html = status.content.decode()
    assert registration.reference in html and "Chờ duyệt" in html
    pdf_link = html.split('<a href="/tep/', 1)[1].split('"', 1)[0]
    download = client.get("/tep/" + pdf_link)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_registering_again_replaces_the_pending_one_and_deletes_its_photos(client, person):
    register(client)
    first = Registration.objects.get()
    first_photos = [first.portrait.name, first.id_front.name, first.id_back.name]
    register(client, agency_code="07903")
    first.refresh_from_db()
    assert first.status == Registration.Status.REPLACED
    assert all(first_photos) and not any(default_storage.exists(name) for name in first_photos)
    assert Registration.objects.filter(status=Registration.Status.PENDING).get().agency.code == "07903"
    assert first.events.filter(action=RegistrationEvent.Action.REPLACED).exists()


@pytest.mark.django_db(transaction=True)
def test_the_number_of_a_replaced_registration_is_told_when_the_new_one_gives_another(client, person, sms_outbox):
    register(client)
    first = Registration.objects.get()
    register(Client(), phone="0399999999")  # someone else, with the same identity data
    told = [m for m in sms_outbox() if m["to"] == "+84987654321"]
    assert [m["text"] for m in told][-1] == (
        f"BHXH: Đăng ký {first.reference} của mã số BHXH ******4567 đã được thay bằng đăng ký mới. "
        "Nếu không phải bạn gửi, hãy gọi ngay 1900 9068.")
    register(Client(), phone="0399999999")  # the same number again: nobody else to tell
    assert not [m for m in sms_outbox() if m["to"] == "+84399999999" and "đã được thay" in m["text"]]


def test_the_status_page_of_a_replaced_registration_points_to_the_new_one(client, person):
    first_link = register(client)["Location"]
    register(client, agency_code="07903")
    page = client.get(first_link).content.decode()
    assert "Đã thay bằng đăng ký mới" in page
    assert 'href="/dang-ky/tra-cuu/">tra cứu đăng ký mới</a>' in page
    assert "Tờ khai đang được tạo" not in page  # a replaced registration gets no declaration


def test_the_rejection_reason_is_marked_vietnamese_on_the_english_status_page(client, settings, person):
    """Written by an officer in Vietnamese only: lang="vi" has a screen reader on an English page
    read it with Vietnamese pronunciation (WCAG 3.1.2)."""
    from accounts.services.registration import registration_reject

    from .helpers import officer

    link = register(client)["Location"]
    registration_reject(registration=Registration.objects.get(), reason="Ảnh CCCD bị mờ",
                        officer=officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(link).content.decode()
    assert languages_of(page, "Ảnh CCCD bị mờ") == ["vi"]
    assert languages_of(page, "Register again") == ["en"]


def test_database_refuses_two_open_registrations_for_one_code(person):
    from django.db import IntegrityError, transaction

    from lookup.models import Agency

    common = {"person": person, "bhxh_code": person.bhxh_code, "full_name": "x", "id_type": "cccd", "id_number": "1",
              "birth_date": datetime.date(1988, 3, 15), "province": person.province, "ward": person.ward,
              "street": "x", "phone": "+84912345678", "agency": Agency.objects.get(code="07901")}
    Registration.objects.create(reference="DK1", **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(reference="DK2", **common)


def test_status_lookup_by_reference_code_and_birth_date(client, person):
    register(client)
    registration = Registration.objects.get()
    found = client.post("/dang-ky/tra-cuu/", {"reference": registration.reference.lower(), "bhxh_code": "7901234567",
                                              "birth_date": "15/03/1988"})
    assert found.status_code == 302
    missing = client.post("/dang-ky/tra-cuu/", {"reference": registration.reference, "bhxh_code": "7909999999",
                                                "birth_date": "15/03/1988"})
    assert missing.content.decode().count("Không tìm thấy đăng ký") == 1  # in the summary, not again above the fields
    assert client.get("/dang-ky/ho-so/gia-mao/").status_code == 404


def test_the_status_link_alone_shows_nothing_in_another_browser(client, person, django_capture_on_commit_callbacks):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        link = register(client)["Location"]
    registration = Registration.objects.get()
    assert registration.declaration_pdf
    own = client.get(link)
    assert own.status_code == 200 and "Tải tờ khai đăng ký (PDF)" in own.content.decode()
    assert "no-store" in own["Cache-Control"]

    stranger = Client()  # the link read from a browser history or a proxy log
    refused = stranger.get(link, follow=True)
    assert refused.redirect_chain[-1][0] == "/dang-ky/tra-cuu/"
    page = refused.content.decode()
    assert "nhập số tham chiếu, mã số BHXH và ngày sinh" in page
    assert registration.bhxh_code not in page and "/tep/" not in page

    found = stranger.post("/dang-ky/tra-cuu/", {"reference": registration.reference, "bhxh_code": registration.bhxh_code,
                                                "birth_date": "15/03/1988"})
    assert found["Location"].startswith(f"/dang-ky/ho-so/{registration.reference}:")  # signed anew, maybe a second later
    assert "Tải tờ khai đăng ký (PDF)" in stranger.get(link).content.decode()


def test_the_declaration_links_life_on_the_status_page_is_the_links_own(client, person, monkeypatch,
                                                                        django_capture_on_commit_callbacks):
    from accounts.views import registration as views

    with django_capture_on_commit_callbacks(execute=True):
        link = register(client)["Location"]
    assert "liên kết có hiệu lực 15 phút;" in client.get(link).content.decode()
    monkeypatch.setattr(views, "DEFAULT_MAX_AGE", 10 * 60)
    assert "liên kết có hiệu lực 10 phút;" in client.get(link).content.decode()


def test_steps_cannot_be_skipped(client, person):
    assert client.get("/dang-ky/anh/")["Location"] == "/dang-ky/"
    client.post("/dang-ky/", declaration_data())
    assert client.get("/dang-ky/co-quan/")["Location"] == "/dang-ky/anh/"


@pytest.mark.django_db(transaction=True)
def test_double_submit_of_the_last_step_makes_one_registration(client, person):
    register(client)
    from lookup.models import Agency

    again = client.post("/dang-ky/co-quan/", {"agency": Agency.objects.get(code="07901").pk})
    assert again.status_code == 302 and again["Location"] == "/dang-ky/"
    assert Registration.objects.count() == 1
    assert Message.objects.filter(template="registration_received").count() == 1


SESSION_ENDED = "Phiên đăng ký đã hết hạn. Hãy kê khai lại từ bước 1."


@pytest.mark.parametrize("step", ["photos", "agency"])
def test_a_step_posted_after_the_session_ended_says_so_on_step_1(client, person, step):
    from lookup.models import Agency

    def photos():
        return {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()}

    assert client.post("/dang-ky/", declaration_data()).status_code == 302
    if step == "agency":
        client.post("/dang-ky/anh/", photos())
    client.cookies.clear()  # the session cookie lost (browser restarted, cookies cleared)
    if step == "photos":
        response = client.post("/dang-ky/anh/", photos(), follow=True)
    else:
        response = client.post("/dang-ky/co-quan/", {"agency": Agency.objects.get(code="07901").pk}, follow=True)
    assert response.redirect_chain == [("/dang-ky/", 302)]
    assert SESSION_ENDED in response.content.decode()
    assert not Registration.objects.exists()


def test_opening_a_later_step_without_a_session_goes_to_step_1_without_a_message(client, person):
    for step in ("/dang-ky/anh/", "/dang-ky/co-quan/"):
        response = client.get(step, follow=True)
        assert response.redirect_chain == [("/dang-ky/", 302)] and SESSION_ENDED not in response.content.decode()


def test_status_lookup_is_rate_limited_per_ip(client, person):
    for _ in range(10):
        assert client.post("/dang-ky/tra-cuu/", {"reference": "DK0000AAAAAA", "bhxh_code": "7901234567"}).status_code == 200
    blocked = client.post("/dang-ky/tra-cuu/", {"reference": "DK0000AAAAAA", "bhxh_code": "7901234567"})
    assert blocked.status_code == 429
    assert "quá nhiều lần" in blocked.content.decode()


def test_the_status_lookups_refusal_says_in_retry_after_when_it_may_be_tried_again(client, person):
    """As the statement check page's 429 does, the lookup's says how many seconds are left of its
    limit's minute."""
    asked = {"reference": "DK0000AAAAAA", "bhxh_code": "7901234567"}
    for _ in range(10):
        assert not client.post("/dang-ky/tra-cuu/", asked).has_header("Retry-After")
    blocked = client.post("/dang-ky/tra-cuu/", asked)
    assert blocked.status_code == 429 and 1 <= int(blocked["Retry-After"]) <= 60


def test_declaration_checks_are_rate_limited_per_bhxh_code(client, person):
    for _ in range(8):
        assert client.post("/dang-ky/", declaration_data(birth_date="01/01/1988")).status_code == 200
    blocked = client.post("/dang-ky/", declaration_data())  # even the right answer now
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    # the seconds left of the code's hour, which refused, not of the client's, which let it through
    assert abs(int(blocked["Retry-After"]) - seconds_left("8/h", "7901234567")) <= 1
    other = client.post("/dang-ky/", declaration_data(bhxh_code="7909999999"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another code from another client is still answered


def test_the_declaration_refusal_says_the_minutes_left_of_the_window_that_refused(client, person):
    """The page says the wait Retry-After gives, in minutes, not a fixed hour: a citizen refused in the
    last minutes of the code's window is not sent away for an hour."""
    for _ in range(8):
        client.post("/dang-ky/", declaration_data(birth_date="01/01/1988"))
    blocked = client.post("/dang-ky/", declaration_data())
    minutes = -(-int(blocked["Retry-After"]) // 60)
    html = blocked.content.decode()
    assert blocked.status_code == 429
    assert f"hãy thử lại sau {minutes} phút hoặc gọi 1900 9068." in html and "sau 1 giờ" not in html


def test_the_declaration_refusal_says_the_minutes_left_in_english_too(client, person):
    client.cookies["django_language"] = "en"
    for _ in range(8):
        client.post("/dang-ky/", declaration_data(birth_date="01/01/1988"))
    blocked = client.post("/dang-ky/", declaration_data())
    minutes = -(-int(blocked["Retry-After"]) // 60)
    unit = "minute" if minutes == 1 else "minutes"
    assert f"try again in {minutes} {unit} or call 1900 9068." in blocked.content.decode()


def test_declarations_refused_before_the_registry_check_do_not_count_against_its_limits(client, person):
    """The limits guard the registry's answers: a citizen who mistypes the phone number or leaves a
    field empty again and again is told what to fix, never locked out for an hour."""
    for n in range(21):
        response = client.post("/dang-ky/", declaration_data(phone="0123" if n % 2 else "", street=""))
        assert response.status_code == 200 and "quá nhiều lần" not in response.content.decode(), n
    assert client.post("/dang-ky/", declaration_data()).status_code == 302


def test_the_code_limit_counts_the_code_however_it_is_written(client, person):
    """Fullwidth digits, spaces and invisible characters (a byte order mark, a zero-width space, read
    away by the form) are the same code to the form, so they are to its limit too: a new invisible
    character each try does not make a new code to try."""
    written = ["7901234567", "7901 234 567", "７９０１２３４５６７", "\ufeff7901234567", "７９０１ ２３４ ５６７",
               "7901\u200b234567", "79012345\u206067"]
    for n in range(8):  # each from another address: only the code's own limit can stop the ninth
        response = client.post("/dang-ky/", declaration_data(bhxh_code=written[n % len(written)],
                                                             birth_date="01/01/1988"), REMOTE_ADDR=f"10.0.5.{n}")
        assert response.status_code == 200 and MISMATCH in response.content.decode()
    blocked = client.post("/dang-ky/", declaration_data(bhxh_code="790 1234 567"), REMOTE_ADDR="10.0.5.99")
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()


def test_declaration_checks_are_rate_limited_per_client(client, person):
    for n in range(20):
        client.post("/dang-ky/", declaration_data(bhxh_code=f"79000000{n:02d}"))
    blocked = client.post("/dang-ky/", declaration_data())
    assert blocked.status_code == 429
    # the seconds left of the client's hour, which refused, not of the code's, which let it through
    assert abs(int(blocked["Retry-After"]) - seconds_left("20/h", "127.0.0.1")) <= 1


def test_status_link_expires_after_30_days_and_sends_to_the_lookup_with_the_reason(client, person, monkeypatch):
    import time as time_module

    register(client)
    registration = Registration.objects.get()
    from accounts.views.registration import status_url

    url = status_url(registration)
    assert client.get(url).status_code == 200
    real = time_module.time
    monkeypatch.setattr(time_module, "time", lambda: real() + 31 * 86400)
    expired = client.get(url, follow=True)  # a bookmark kept too long: told why, and where to look it up
    assert expired.redirect_chain == [("/dang-ky/tra-cuu/", 302)]
    page = expired.content.decode()
    assert "Đường dẫn xem đăng ký chỉ dùng được trong 30 ngày và đã hết hạn." in page
    assert registration.reference not in page and registration.full_name not in page
    found = client.post("/dang-ky/tra-cuu/", {"reference": registration.reference, "bhxh_code": registration.bhxh_code,
                                              "birth_date": "15/03/1988"})
    assert client.get(found["Location"]).status_code == 200  # signed anew
    forged = url[:-2] + ("B" if url[-2] == "A" else "A") + "/"
    assert client.get(forged).status_code == 404
    client.cookies["django_language"] = "en"
    assert "The link to the registration works for 30 days only and has expired." in (
        client.get(url, follow=True).content.decode())


def test_photos_of_a_registration_left_half_way_are_deleted_after_a_day(client, person, settings,
                                                                      django_capture_on_commit_callbacks):
    from django.test import Client

    from accounts.services.registration import registration_uploads_sweep

    client.post("/dang-ky/", declaration_data())
    client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    with django_capture_on_commit_callbacks(execute=True):
        register(Client(), full_name="Nguyễn Văn Đức")  # another visitor goes to the end
    submitted = Registration.objects.get()
    uploads = settings.PRIVATE_FILES_ROOT / "registrations" / "tmp"
    left = [p for p in uploads.rglob("*") if p.is_file()]
    assert len(left) == 3  # the submitted registration's uploads were moved; the abandoned ones stay
    assert registration_uploads_sweep() == 0  # the visitor may still come back today
    assert registration_uploads_sweep(now=timezone.now() + datetime.timedelta(days=2)) == 3
    assert not [p for p in uploads.rglob("*") if p.is_file()]
    assert all(default_storage.exists(getattr(submitted, field).name) for field in ("portrait", "id_front", "id_back"))


def test_agency_step_search_keeps_the_match_drops_other_provinces_and_shows_address_and_phone(client, person):
    client.post("/dang-ky/", declaration_data())
    client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    default = client.get("/dang-ky/co-quan/").content.decode()
    assert "[07901] BHXH Quận 1" in default and "[00101]" not in default  # the declared province's agencies
    for query in ("quan 1", "07901", "Trần Quang Khải"):
        html = client.get("/dang-ky/co-quan/", {"q": query}).content.decode()
        assert "[07901] BHXH Quận 1" in html, query
        assert "[00101]" not in html and "Cầu Giấy" not in html, query
        item = next(part for part in html.split("<li>") if "[07901] BHXH Quận 1" in part)
        assert "105 Trần Quang Khải, Phường Tân Định, TP. Hồ Chí Minh · ĐT (028) 3489.7284" in item, query
    hanoi = client.get("/dang-ky/co-quan/", {"q": "cau giay"}).content.decode()
    assert "[00101] BHXH cơ sở Cầu Giấy" in hanoi and "[07901]" not in hanoi  # another province only when asked for
    nothing = client.get("/dang-ky/co-quan/", {"q": "khong co co quan nay"}).content.decode()
    assert "Không tìm thấy cơ quan BHXH nào" in nothing

    from lookup.models import Agency

    chosen = Agency.objects.get(code="07901")
    response = client.post("/dang-ky/co-quan/", {"agency": chosen.pk})
    assert response.status_code == 302
    status = client.get(response["Location"]).content.decode()
    assert "[07901] BHXH Quận 1" in status and "105 Trần Quang Khải" in status and "ĐT (028) 3489.7284" in status


def test_agency_step_says_when_more_agencies_match_than_it_lists(client, person):
    """The step lists 30 agencies: when more match, it says so and asks for more words, instead of
    leaving a citizen to look for one that is not on the page."""
    from lookup.models import Agency, Province

    hcm = Province.objects.get(code="79")
    for number in range(40):
        Agency.objects.create(code=f"0798{number:02d}", name=f"BHXH khu vực Thủ Đức {number}", province=hcm,
                              parent=Agency.objects.get(code="079"))
    client.post("/dang-ky/", declaration_data())
    client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    for query in ({}, {"q": "thu duc"}):
        html = client.get("/dang-ky/co-quan/", query).content.decode()
        assert html.count('type="radio" name="agency"') == 30, query
        assert "Chỉ hiển thị 30 cơ quan đầu tiên" in html, query
    few = client.get("/dang-ky/co-quan/", {"q": "thu duc 7"}).content.decode()
    assert few.count('type="radio" name="agency"') == 1 and "Chỉ hiển thị" not in few


# --- input that passes str.isdigit() but is no number ------------------------------------------------


@pytest.mark.parametrize("province", ["²", "٣", "1²", "9" * 30])
@pytest.mark.parametrize("refresh", [False, True], ids=["submit", "refresh-wards"])
def test_a_province_that_is_no_ascii_number_is_refused_not_a_500(client, person, province, refresh):
    data = declaration_data(province=province)
    if refresh:
        data["refresh_wards"] = "1"
    response = client.post("/dang-ky/", data, follow=True)
    assert response.status_code == 200
    if not refresh and province != "٣":  # int() reads "٣" as 3, so Django's field takes it for a province id
        assert "Chọn tỉnh/thành phố trong danh sách." in response.content.decode()


# --- e-mail: no longer than the registration stores -------------------------------------------------


def email_of_length(length: int) -> str:
    """A well-formed address of exactly `length` characters (labels of at most 63)."""
    local = "a" * 64
    labels, left = [], length - len(local) - 1 - len(".vn")
    while left > 0:
        size = min(63, left - 1 if left > 64 else left)
        labels.append("b" * size)
        left -= size + 1
    address = f"{local}@{'.'.join(labels)}.vn"
    assert len(address) == length, len(address)
    return address


def test_an_email_longer_than_254_characters_is_refused_at_step_1_on_its_field(client, person):
    response = client.post("/dang-ky/", declaration_data(email=email_of_length(259)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Địa chỉ email quá dài: tối đa 254 ký tự." in html and 'href="#id_email"' in html


@pytest.mark.django_db(transaction=True)
def test_an_email_of_254_characters_goes_through_to_the_registration(client, person):
    address = email_of_length(254)
    response = register(client, email=address)
    assert response.status_code == 302 and "/dang-ky/ho-so/" in response["Location"]
    assert Registration.objects.get().email == address


@pytest.mark.parametrize("email", ["duc\x00@example.vn", "duc@example.vn\x00", "\x00"])
def test_an_email_with_a_nul_character_gets_one_vietnamese_error_on_its_field(client, person, email):
    html = client.post("/dang-ky/", declaration_data(email=email)).content.decode()
    summary = errors_of(html)
    assert summary.count("<li>") == 1 and "Nhập địa chỉ email đúng dạng, ví dụ ten@example.com." in summary
    assert 'href="#id_email"' in summary and "NUL" not in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pasted", ["\ufeffduc@example.vn", "duc@example.vn\u200b", "\xa0duc@exam\u200bple.vn\xa0"])
def test_an_email_pasted_with_invisible_characters_is_kept_without_them(client, person, pasted):
    """A byte order mark or a zero-width space copied with the address is no part of it: the address
    is neither refused for a character nobody sees nor stored (and mailed to) with it."""
    response = register(client, email=pasted)
    assert response.status_code == 302
    assert Registration.objects.get().email == "duc@example.vn"


@pytest.mark.parametrize("field, typed", [("bhxh_code", "790123\x004567"), ("id_number", "079088\x00012345"),
                                          ("bhxh_code", "\ufeff7901234567"), ("id_number", "079088012345\u200b")])
def test_a_code_with_an_invisible_character_is_read_without_it_not_refused_twice(client, person, field, typed):
    response = client.post("/dang-ky/", declaration_data(**{field: typed}))
    assert response.status_code == 302 and response["Location"] == "/dang-ky/anh/"


# --- the last step posted twice; its photos gone ---------------------------------------------------


def to_last_step(client, **overrides) -> str:
    """Steps 1 and 2, then the page of step 3 as the browser shows it; returns the form's key."""
    assert client.post("/dang-ky/", declaration_data(**overrides)).status_code == 302
    assert client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()}).status_code == 302
    html = client.get("/dang-ky/co-quan/").content.decode()
    return re.search(r'name="submission_key" value="([^"]+)"', html).group(1)


def reference_shown(client, response) -> str:
    assert response.status_code == 302 and "/dang-ky/ho-so/" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    return re.search(r"Số tham chiếu: <strong>([A-Z0-9]+)</strong>", html).group(1)


@pytest.mark.django_db(transaction=True)
def test_the_last_step_posted_again_with_the_session_as_it_was_shows_the_first_registration(client, person, sms_outbox):
    """A double click: the second post read the session before the first one ended it, and the
    first one's commit has already moved the temporary photos."""
    from lookup.models import Agency

    key = to_last_step(client)
    before = copy.deepcopy(client.session["registration"])
    post = {"agency": Agency.objects.get(code="07901").pk, "submission_key": key}
    first = client.post("/dang-ky/co-quan/", post)
    session = client.session
    session["registration"] = before
    session.save()
    second = client.post("/dang-ky/co-quan/", post)
    assert reference_shown(client, first) == reference_shown(client, second) == Registration.objects.get().reference
    assert Registration.objects.get().status == Registration.Status.PENDING  # not replaced by itself
    assert Message.objects.filter(template="registration_received").count() == 1 and len(sms_outbox()) == 1
    # the browser that does not send the key back (the session alone knows it) gets the same
    session = client.session
    session["registration"] = before
    session.save()
    third = client.post("/dang-ky/co-quan/", {"agency": Agency.objects.get(code="07901").pk})
    assert reference_shown(client, third) == reference_shown(client, first) and Registration.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_last_step_posted_again_after_it_ended_shows_the_first_registration(client, person):
    from lookup.models import Agency

    key = to_last_step(client)
    post = {"agency": Agency.objects.get(code="07903").pk, "submission_key": key}
    first = client.post("/dang-ky/co-quan/", post)
    second = client.post("/dang-ky/co-quan/", post)  # back button: the page still holds the key
    assert reference_shown(client, first) == reference_shown(client, second)
    assert Registration.objects.count() == 1
    assert Message.objects.filter(template="registration_received").count() == 1


def test_photos_swept_before_the_last_step_send_the_visitor_back_to_upload_them(client, person):
    from accounts.services.registration import registration_uploads_sweep

    client.post("/dang-ky/", declaration_data())
    client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    assert registration_uploads_sweep(now=timezone.now() + datetime.timedelta(days=2)) == 3  # the session lived on
    response = client.get("/dang-ky/co-quan/")
    assert response.status_code == 302 and response["Location"] == "/dang-ky/anh/"
    html = client.get("/dang-ky/anh/").content.decode()
    assert "Hãy tải lên lại ảnh chân dung, ảnh mặt trước giấy tờ, ảnh mặt sau giấy tờ" in html
    assert "đã tải lên\"" not in html  # no preview of a photo that is gone
    response = client.post("/dang-ky/anh/", {"portrait": jpeg()})
    assert response.status_code == 200 and 'href="#id_id_front"' in html + response.content.decode()
    assert 'href="#id_id_front"' in response.content.decode()  # the other two are asked for again
    response = client.post("/dang-ky/anh/", {"id_front": jpeg(), "id_back": jpeg()})
    assert response.status_code == 302 and response["Location"] == "/dang-ky/co-quan/"


@pytest.mark.django_db(transaction=True)
def test_photos_swept_while_the_last_step_was_open_send_the_visitor_back_not_a_500(client, person, sms_outbox):
    from accounts.services.registration import registration_uploads_sweep
    from lookup.models import Agency

    key = to_last_step(client)
    registration_uploads_sweep(now=timezone.now() + datetime.timedelta(days=2))
    response = client.post("/dang-ky/co-quan/", {"agency": Agency.objects.get(code="07901").pk, "submission_key": key})
    assert response.status_code == 302 and response["Location"] == "/dang-ky/anh/"
    assert "Hãy tải lên lại ảnh chân dung" in client.get("/dang-ky/anh/").content.decode()
    assert not Registration.objects.exists() and sms_outbox() == []
    client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    done = client.post("/dang-ky/co-quan/", {"agency": Agency.objects.get(code="07901").pk, "submission_key": key})
    assert reference_shown(client, done) == Registration.objects.get().reference


def photos_in_storage(tag: str) -> dict:
    return {field: default_storage.save(f"registrations/tmp/{tag}/{field}.jpg", jpeg()) for field in ("portrait", "id_front", "id_back")}


def service_declaration(person) -> dict:
    return {"bhxh_code": person.bhxh_code, "full_name": person.full_name, "id_type": person.id_type,
            "id_number": person.id_number, "birth_date": person.birth_date, "province": person.province,
            "ward": person.ward, "street": "12 Lê Lợi", "phone": "+84987654321", "email": ""}


@pytest.mark.django_db(transaction=True)
def test_a_registrations_reference_and_key_come_from_the_portals_one_maker(person, monkeypatch):
    """Accounts made them with a copy of the filings' maker of its own: one maker, vssid_portal.form_keys."""
    from accounts.services.registration import registration_submit
    from lookup.models import Agency
    from vssid_portal import form_keys

    monkeypatch.setattr(form_keys, "choice", lambda alphabet: "Q")
    registration = registration_submit(declaration=service_declaration(person), photos=photos_in_storage("a"),
                                       agency=Agency.objects.get(code="07901"), submission_key="K" * form_keys.KEY_LENGTH)
    assert re.fullmatch(r"DK\d{4}Q{6}", registration.reference)
    assert form_keys.KEY_LENGTH <= Registration._meta.get_field("submission_key").max_length


@pytest.mark.django_db(transaction=True)
def test_the_service_makes_one_registration_per_submission_key(person):
    from accounts.services.registration import registration_submit
    from lookup.models import Agency
    from vssid_portal.form_keys import new_idempotency_key

    agency, key, photos = Agency.objects.get(code="07901"), new_idempotency_key(), photos_in_storage("a")
    first = registration_submit(declaration=service_declaration(person), photos=photos, agency=agency, submission_key=key)
    assert not any(default_storage.exists(name) for name in photos.values())  # moved on commit
    # the same form again (a second request that read the session before the first one ended)
    again = registration_submit(declaration=service_declaration(person), photos=photos, agency=agency, submission_key=key)
    assert again.pk == first.pk and Registration.objects.count() == 1
    assert Message.objects.filter(template="registration_received").count() == 1
    other = registration_submit(declaration=service_declaration(person), photos=photos_in_storage("b"), agency=agency,
                                submission_key=new_idempotency_key())
    assert other.pk != first.pk  # another form replaces, as before
    first.refresh_from_db()
    assert first.status == Registration.Status.REPLACED


@pytest.mark.django_db(transaction=True)
def test_a_missing_temporary_photo_is_a_message_and_changes_nothing(person):
    from django.core.exceptions import ValidationError

    from accounts.services.registration import PhotosExpired, registration_submit
    from lookup.models import Agency
    from vssid_portal.form_keys import new_idempotency_key

    agency = Agency.objects.get(code="07901")
    pending = registration_submit(declaration=service_declaration(person), photos=photos_in_storage("a"), agency=agency)
    photos = photos_in_storage("b")
    default_storage.delete(photos["id_back"])
    with pytest.raises(PhotosExpired) as error:
        registration_submit(declaration=service_declaration(person), photos=photos, agency=agency,
                            submission_key=new_idempotency_key())
    assert isinstance(error.value, ValidationError) and error.value.fields == ["id_back"]
    assert "Hãy tải lên lại ảnh này" in error.value.message_dict["id_back"][0]
    pending.refresh_from_db()
    assert pending.status == Registration.Status.PENDING and default_storage.exists(pending.portrait.name)
    assert Registration.objects.count() == 1
    assert not [p for p in default_storage.listdir("registrations")[0] if p not in {"tmp", pending.file_folder}]


def test_a_missing_agency_is_linked_from_the_error_summary_to_the_first_choice(client, person):
    import re

    client.post("/dang-ky/", declaration_data())
    client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    html = client.post("/dang-ky/co-quan/", {"agency": ""}).content.decode()  # nothing chosen
    assert '<a href="#id_agency_0">' in html  # the summary's link…
    first = re.search(r'<input type="radio" name="agency"[^>]*>', html).group(0)
    assert 'id="id_agency_0"' in first and 'aria-invalid="true"' in first  # …reaches the first choice
    assert html.count('id="id_agency_0"') == 1
    assert 'aria-describedby="id_agency_error"' in html and '<span class="visually-hidden">Lỗi:</span>' in html
    assert "đăng ký *" not in html


def test_posts_of_the_last_step_refused_for_their_agency_do_not_count_against_the_submissions_limit(
        client, person, sms_outbox, django_capture_on_commit_callbacks):
    """The limit counts the submissions that text the phone: choosing no agency, or one not in the
    list, a few times does not lock the citizen out for an hour."""
    from lookup.models import Agency

    client.post("/dang-ky/", declaration_data())
    client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    for agency in ["", "999999", "abc", ""]:
        html = client.post("/dang-ky/co-quan/", {"agency": agency}).content.decode()
        assert "thử quá nhiều lần" not in html and "Chọn cơ quan BHXH" in html, agency
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dang-ky/co-quan/", {"agency": Agency.objects.get(code="07901").pk})
    assert response.status_code == 302 and Registration.objects.count() == 1
    assert len(sms_outbox()) == 1


def test_a_failed_declaration_build_leaves_no_file_and_the_retry_leaves_one(person, monkeypatch):
    import os

    from accounts.services.registration import files as registration_files

    from .helpers import submit

    registration = submit(person, email="a@example.vn")
    real_send = registration_files.send_message

    def failing_send(**kwargs):  # the e-mail, sent after the PDF was written, fails once
        if kwargs.get("template") == "registration_declaration":
            raise RuntimeError("the outbox could not be written")
        return real_send(**kwargs)

    monkeypatch.setattr(registration_files, "send_message", failing_send)
    with pytest.raises(RuntimeError):
        registration_files.registration_build_declaration(registration_id=registration.pk)
    monkeypatch.setattr(registration_files, "send_message", real_send)

    built = registration_files.registration_build_declaration(registration_id=registration.pk)
    folder = os.path.dirname(default_storage.path(built.declaration_pdf.name))
    assert sorted(name for name in os.listdir(folder) if name.endswith(".pdf")) == [
        os.path.basename(built.declaration_pdf.name)]



def test_an_identity_number_too_long_is_explained_in_the_portals_words(person):
    from accounts.forms import DeclarationForm

    form = DeclarationForm(data=declaration_data(id_number="0791880123456789"))
    assert not form.is_valid()
    assert form.errors["id_number"] == [
        "Số giấy tờ dài tối đa 12 ký tự: CCCD 12 chữ số, CMND 9 chữ số, hộ chiếu 8–9 ký tự."]


def test_an_expired_registration_declaration_link_says_so_without_handing_on_the_status_link(
        client, person, open_expired_link, django_capture_on_commit_callbacks):
    """The status page is reached by a secret link: an expired download link says how to get a new one
    in words, and its data does not carry the status link; another browser's copy of it is a
    plain 404."""
    from vssid_portal import files

    with django_capture_on_commit_callbacks(execute=True):
        status_link = register(client)["Location"]
    pdf_link = re.search(r'href="(/tep/[^"]+)"', client.get(status_link).content.decode()).group(1)
    assert status_link not in str(files._opened(pdf_link.split("/")[2]))
    response, html = open_expired_link(client, pdf_link)
    assert response.status_code == 410 and "Hãy quay lại trang có nút tải" in html and status_link not in html
    assert open_expired_link(Client(), pdf_link)[0].status_code == 404


@pytest.mark.parametrize("shared", ["code", "phone"])
def test_submissions_stop_at_the_named_limit_per_code_and_per_phone(person, shared):
    """Each submission texts the declared phone: past the limit per BHXH code, or per phone, the
    last step is refused (each from another address and with another phone or code), saying in
    Retry-After the seconds left of the hour of the limit that refused."""
    from accounts.views import registration as registration_view

    group, rate = (registration_view.SUBMISSIONS_PER_CODE if shared == "code"
                   else registration_view.SUBMISSIONS_PER_PHONE)
    allowed = limit(rate)
    for n in range(allowed + 1):
        if shared == "code":
            declared = {"phone": f"09876543{n:02d}"}
        else:
            declared = {"bhxh_code": f"79012346{n:02d}", "id_number": f"0790880123{n:02d}"}
            make_person(code=declared["bhxh_code"], id_number=declared["id_number"])
        response = register(Client(REMOTE_ADDR=f"10.0.7.{n}"), **declared)
        if n < allowed:
            assert response.status_code == 302 and "/dang-ky/ho-so/" in response["Location"], (group, n)
        else:
            assert response.status_code == 429 and "thử quá nhiều lần" in response.content.decode(), group
            refusing = "7901234567" if shared == "code" else "+84987654321"
            assert abs(int(response["Retry-After"]) - seconds_left(rate, refusing)) <= 1, group
    pending = Registration.objects.filter(status=Registration.Status.PENDING).count()
    assert pending == (1 if shared == "code" else allowed)  # a code's submission replaces its earlier one


def test_agency_step_offers_no_submit_button_when_the_search_lists_no_agency(client, person):
    """A search that finds nothing leaves nothing to choose: the page says to search again and has
    no "Gửi đăng ký", whose post could only be refused for a choice that is not there."""
    client.post("/dang-ky/", declaration_data())
    client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    nothing = client.get("/dang-ky/co-quan/", {"q": "xyz"}).content.decode()
    assert "Không tìm thấy cơ quan BHXH nào. Hãy thử từ khóa khác." in nothing
    assert 'id="tim-co-quan"' in nothing and "Gửi đăng ký" not in nothing
    assert "Gửi đăng ký" in client.get("/dang-ky/co-quan/").content.decode()


def test_agency_step_searches_past_their_limit_are_refused_with_the_words_kept(client, person, settings):
    """A session past the first steps searches the agencies from one client at most
    settings.REGISTRATION_AGENCY_SEARCHES_PER_CLIENT times an hour: past it nothing is searched, the page answers 429
    with Retry-After and says in Vietnamese how many minutes are left, the words typed kept in their box, and the
    declared province's agencies still listed to choose from (the step without words counts nothing)."""
    settings.REGISTRATION_AGENCY_SEARCHES_PER_CLIENT = "2/h"
    client.post("/dang-ky/", declaration_data())
    client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    for query in ("cau giay", "thu duc"):
        assert client.get("/dang-ky/co-quan/", {"q": query}).status_code == 200
    assert client.get("/dang-ky/co-quan/").status_code == 200  # no words: not a search
    refused = client.get("/dang-ky/co-quan/", {"q": "cau giay"})
    html = refused.content.decode()
    assert refused.status_code == 429
    minutes = math.ceil(int(refused["Retry-After"]) / 60)
    assert f"Bạn đã tìm cơ quan BHXH quá nhiều lần trong một giờ. Hãy thử tìm lại sau {minutes} phút" in html
    assert 'name="q" value="cau giay"' in html
    assert "Yêu cầu chưa được thực hiện" in html and "Có lỗi cần sửa" not in html  # nothing typed is wrong
    assert "[07901] BHXH Quận 1" in html and "[00101]" not in html  # nothing searched: the declared province's
    from lookup.models import Agency

    chosen = client.post("/dang-ky/co-quan/", {"agency": Agency.objects.get(code="07901").pk})
    assert chosen.status_code == 302  # the registration goes on
