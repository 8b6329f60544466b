"""The person registry: identifiers validated by type, names stored NFC with a folded key."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from phonenumber_field.phonenumber import PhoneNumber

from accounts.models import Person, User
from accounts.validators import IdType, validate_id_document, validate_vn_mobile


def person(**overrides):
    fields = {
        "bhxh_code": "7901234567", "full_name": "Nguyễn Văn Đức", "birth_date": datetime.date(1988, 3, 15),
        "sex": Person.Sex.MALE, "id_type": IdType.CCCD, "id_number": "079088012345", "phone": "0912345678",
    }
    return Person(**{**fields, **overrides})


@pytest.mark.django_db
def test_person_is_stored_nfc_with_accent_folded_key_and_e164_phone():
    saved = person(full_name="  Nguye\u0302\u0303n   Văn Đức ")
    saved.full_clean()
    saved.save()
    saved.refresh_from_db()
    assert saved.full_name == "Nguyễn Văn Đức"
    assert saved.name_key == "nguyen van duc"
    assert saved.phone.as_e164 == "+84912345678"
    assert Person.objects.get(name_key__contains="van duc") == saved


@pytest.mark.django_db
def test_bhxh_code_is_ten_digits_and_unique():
    for bad in ("790123456", "79012345678", "79O1234567"):
        with pytest.raises(ValidationError) as error:
            person(bhxh_code=bad).full_clean()
        assert "10 chữ số" in str(error.value)
    person().save()
    with pytest.raises(ValidationError) as error:
        person(id_number="079088099999").full_clean()
    assert list(error.value.message_dict) == ["bhxh_code"]  # the code is taken; nothing else is wrong


@pytest.mark.parametrize(
    ("id_type", "number", "birth", "sex", "message"),
    [
        (IdType.CCCD, "07908801234", datetime.date(1988, 3, 15), 1, "12 chữ số"),
        (IdType.CCCD, "079188012345", datetime.date(1988, 3, 15), 1, "giới tính"),  # 1 = female, 1900s
        (IdType.CCCD, "079090012345", datetime.date(1988, 3, 15), 1, "năm sinh"),
        (IdType.CCCD, "079288012345", datetime.date(1988, 3, 15), 1, "năm sinh"),  # 2 = 2000s
        (IdType.CCCD, "099088012345", datetime.date(1988, 3, 15), 1, "mã tỉnh"),
        (IdType.CMND, "02345678", None, None, "9 chữ số"),
        (IdType.PASSPORT, "1234567", None, None, "hộ chiếu"),
    ],
)
def test_id_document_is_checked_by_type(id_type, number, birth, sex, message):
    with pytest.raises(ValidationError) as error:
        validate_id_document(id_type, number, birth_date=birth, sex=sex)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("id_type", "number", "birth", "sex"),
    [
        (IdType.CCCD, "079088012345", datetime.date(1988, 3, 15), 1),
        (IdType.CCCD, "001305012345", datetime.date(2005, 1, 2), 2),  # 3 = female, 2000s
        (IdType.CMND, "023456789", None, None),
        (IdType.PASSPORT, "C1234567", None, None),
    ],
)
def test_valid_id_documents_pass(id_type, number, birth, sex):
    validate_id_document(id_type, number, birth_date=birth, sex=sex)


@pytest.mark.parametrize("number", ["0912345678", "+84981234567", "0321234567", "0888123456"])
def test_vietnamese_mobile_numbers_are_accepted(number):
    validate_vn_mobile(PhoneNumber.from_string(number, region="VN"))


@pytest.mark.parametrize("number", ["02838123456", "01234567890", "0951234567", "+14155550100", "091234567"])
def test_landlines_old_and_foreign_numbers_are_refused(number):
    with pytest.raises(ValidationError) as error:
        validate_vn_mobile(PhoneNumber.from_string(number, region="VN"))
    assert "di động" in error.value.messages[0]


@pytest.mark.django_db
def test_user_is_the_custom_model_with_a_person():
    citizen = person()
    citizen.save()
    user = User.objects.create_user(citizen.bhxh_code, password="x-Pass-2026!", person=citizen)
    assert User._meta.label == "accounts.User"
    assert user.username == "7901234567"
    assert citizen.user == user


@pytest.mark.parametrize(("first_name", "last_name", "full_name"), [
    ("Hà", "Phạm Thu", "Phạm Thu Hà"),  # staff made in the admin or by seed_demo
    ("", "Nguyễn Văn Đức", "Nguyễn Văn Đức"),  # a citizen's account, made at approval
    ("Quản trị", "", "Quản trị"),
])
def test_a_users_full_name_is_in_vietnamese_order(first_name, last_name, full_name):
    from public_services.views.feedback import _initial

    user = User(username="nhanvien", first_name=first_name, last_name=last_name)
    assert user.get_full_name() == full_name
    assert _initial(user)["full_name"] == full_name  # the feedback form, filled in for a staff member
