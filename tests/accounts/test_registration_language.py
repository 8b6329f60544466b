"""The registration's answers about the registry (code not found, already has an account, a field
that does not match, the checks of a child's registration) are read in the page's language.

The English catalogue is filled separately, so these tests give English a catalogue that answers
every msgid as `[en] <msgid>`: a message carries the mark only if it was looked up in the catalogue.
"""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import trans_real

from accounts.models import Guardianship, Registration, User
from accounts.services.registration import (
    PhotosExpired,
    child_registration_submit,
    registration_check_declaration,
    registration_submitted_with,
)
from lookup.models import Agency

from .helpers import born_years_ago, cccd_for, declaration_data, jpeg, make_person, submit

CHILD_BORN = born_years_ago(16)  # a minor (15 or 16) whenever the tests run

pytestmark = pytest.mark.usefixtures("reference_data")
MARK = "[en] "


@pytest.fixture
def marked_english(monkeypatch):
    monkeypatch.setattr(trans_real.translation("en"), "gettext", lambda message: MARK + message)
    with translation.override("en"):  # as on a page read in English
        yield


def messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@pytest.fixture
def parent(db):
    person = make_person()
    return User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)


def declared(**overrides) -> dict:
    return {"bhxh_code": "7901234567", "full_name": "Nguyễn Văn Đức", "birth_date": datetime.date(1988, 3, 15),
            "id_type": "cccd", "id_number": "079088012345", **overrides}


@pytest.mark.parametrize(("overrides", "for_child", "said"), [
    ({"bhxh_code": "0000000001"}, False, "Mã số BHXH, họ và tên, ngày sinh hoặc số giấy tờ tùy thân không khớp"),
    ({"bhxh_code": "0000000001", "full_name": "Nguyễn Gia Bảo", "birth_date": CHILD_BORN}, True,
     "Họ tên hoặc ngày sinh không khớp"),
    ({"bhxh_code": "7903333333", "id_number": "079088033333"}, False, "Mã số BHXH này đã có tài khoản."),
    ({"full_name": "Nguyễn Văn Đạt"}, False, "Mã số BHXH, họ và tên, ngày sinh hoặc số giấy tờ tùy thân không khớp"),
    ({"birth_date": datetime.date(1988, 3, 16)}, False, "Mã số BHXH, họ và tên, ngày sinh hoặc số giấy tờ tùy thân không khớp"),
    ({"bhxh_code": "7905555555", "full_name": "Nguyễn Gia Huy", "birth_date": CHILD_BORN}, True,
     "Họ tên hoặc ngày sinh không khớp"),
])
def test_the_declarations_check_answers_in_the_pages_language(db, marked_english, overrides, for_child, said):
    make_person()
    make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    account = make_person("7903333333", id_number="079088033333")
    User.objects.create_user(account.bhxh_code, password="x-Pass-2026!", person=account)
    with pytest.raises(ValidationError) as error:
        registration_check_declaration(**declared(**overrides), for_child=for_child)
    english = messages_of(error.value)
    assert any(said in message for message in english) and all(message.startswith(MARK) for message in english)


def test_a_wrong_id_number_is_answered_in_the_pages_language(db, marked_english):
    make_person()
    with pytest.raises(ValidationError) as error:
        registration_check_declaration(**declared(id_number="079088099999"))
    assert messages_of(error.value) == [MARK + "Mã số BHXH, họ và tên, ngày sinh hoặc số giấy tờ tùy thân không khớp "
                                                "với hồ sơ BHXH: hãy kiểm tra lại mã số BHXH theo sổ BHXH hoặc thẻ "
                                                "BHYT và ba thông tin còn lại theo giấy tờ tùy thân."]


def child(code, name, birth, **person):
    return {"bhxh_code": code, "full_name": name, "birth_date": birth, "relationship": "cha",
            "birth_certificate_number": "123/2018", "agency": Agency.objects.get(code="07901"), **person}


def photos() -> dict:
    from django.core.files.storage import default_storage

    return {field: default_storage.save(f"registrations/tmp/t/{field}.jpg", jpeg()) for field in ("portrait", "id_front", "id_back")}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", ["own code", "adult", "own account", "already linked"])
def test_the_checks_of_a_childs_registration_answer_in_the_pages_language(parent, marked_english, case):
    kid = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    if case == "own code":
        declared_child = child(parent.person.bhxh_code, parent.person.full_name, parent.person.birth_date)
    elif case == "adult":
        make_person("7906666666", "Nguyễn Văn Tài", birth=datetime.date(2000, 1, 1), id_number="079200012345")
        declared_child = child("7906666666", "Nguyễn Văn Tài", datetime.date(2000, 1, 1))
    else:
        if case == "own account":
            User.objects.create_user(kid.bhxh_code, password="x-Pass-2026!", person=kid)
        else:
            Guardianship.objects.create(parent=parent, child=kid, relationship="cha")
        declared_child = child(kid.bhxh_code, kid.full_name, kid.birth_date)
    with pytest.raises(ValidationError) as error:
        child_registration_submit(parent=parent, child=declared_child, photos=photos(), submission_key="k" * 20)
    assert messages_of(error.value) and all(message.startswith(MARK) for message in messages_of(error.value))


@pytest.mark.django_db(transaction=True)
def test_a_key_of_another_submitter_and_expired_photos_answer_in_the_pages_language(parent, marked_english):
    registration = submit(make_person("7902222222", "Trần Văn Lâm", id_number="079088054321"))
    Registration.objects.filter(pk=registration.pk).update(submission_key="k" * 20)  # an adult's form
    with pytest.raises(ValidationError) as error:
        registration_submitted_with(submission_key="k" * 20, parent=parent)
    assert messages_of(error.value) == [MARK + "Phiên đăng ký không hợp lệ. Hãy tải lại trang và gửi lại."]
    assert messages_of(PhotosExpired(["portrait"]))[0].startswith(MARK + "Ảnh đã tải lên trước đó")


@pytest.mark.parametrize(("overrides", "said"), [
    ({"bhxh_code": "0000000001"}, "Mã số BHXH, họ và tên, ngày sinh hoặc số giấy tờ tùy thân không khớp"),
    ({"full_name": "Nguyễn Văn Đạt"}, "Mã số BHXH, họ và tên, ngày sinh hoặc số giấy tờ tùy thân không khớp"),
])
def test_the_registration_page_in_english_shows_the_translated_answer(client, db, marked_english, overrides, said):
    make_person()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.post("/dang-ky/", declaration_data(**overrides)).content.decode()
    assert MARK + said in html
