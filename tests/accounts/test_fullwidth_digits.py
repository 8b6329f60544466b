"""Identifiers are ASCII digits: the forms read fullwidth digits ("０７９…", as some keyboards type
them) as the ASCII ones they stand for, and the validators the forms, the admin and the registry
share refuse any other script's digits, so no look-alike of a number is ever stored."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts import otp
from accounts.forms import DeclarationForm, StatusLookupForm
from accounts.forms_auth import CodeForm, PasswordResetRequestForm
from accounts.models import Person
from accounts.validators import IdType, bhxh_code_validator, validate_id_document
from accounts.views.code_lookup import CodeLookupForm
from lookup.models import Agency, Province

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("table", [FULLWIDTH, ARABIC_INDIC])
def test_the_validators_take_ascii_digits_only(table):
    with pytest.raises(ValidationError):
        bhxh_code_validator("7901234567".translate(table))
    for id_type, number in [(IdType.CCCD, "079088012345"), (IdType.CMND, "123456789")]:
        with pytest.raises(ValidationError):
            validate_id_document(id_type, number.translate(table), birth_date=datetime.date(1988, 3, 15), sex=1)


@pytest.mark.parametrize("field", [DeclarationForm.base_fields["bhxh_code"], StatusLookupForm.base_fields["bhxh_code"],
                                   PasswordResetRequestForm.base_fields["bhxh_code"]])
def test_a_bhxh_code_in_fullwidth_digits_is_read_as_ascii(field):
    assert field.clean("7901 234 567".translate(FULLWIDTH)) == "7901234567"
    with pytest.raises(ValidationError):
        field.clean("7901234567".translate(ARABIC_INDIC))


@pytest.mark.parametrize("field", [DeclarationForm.base_fields["id_number"], CodeLookupForm.base_fields["id_number"]])
def test_an_id_number_in_fullwidth_characters_is_read_as_ascii(field):
    assert field.clean("079 088 012 345".translate(FULLWIDTH)) == "079088012345"
    assert field.clean("ｃ１２３４５６７") == "C1234567"


def test_a_code_in_other_scripts_digits_is_refused_before_it_spends_a_try():
    form = CodeForm(data={"code": "123456".translate(ARABIC_INDIC)}, purpose=otp.Purpose.LOGIN, subject="7901234567")
    assert form.errors["code"] == ["Nhập mã xác thực gồm 6 chữ số, ví dụ 123456."]
    form = CodeForm(data={"code": "123456".translate(FULLWIDTH)}, purpose=otp.Purpose.LOGIN, subject="7901234567")
    assert "Mã xác thực đã hết hạn" in form.errors["code"][0]  # read as 123456 and checked (no code was sent)


@pytest.mark.django_db
def test_the_registry_refuses_a_fullwidth_bhxh_code_or_agency_code(reference_data):
    person = Person(bhxh_code="7901234567".translate(FULLWIDTH), full_name="Nguyễn Văn Đức", sex=1,
                    birth_date=datetime.date(1988, 3, 15), id_type=IdType.CCCD, id_number="079088012345")
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert "bhxh_code" in refused.value.message_dict
    agency = Agency(code="07999".translate(FULLWIDTH), name="BHXH thử", province=Province.objects.get(code="79"))
    with pytest.raises(ValidationError) as refused:
        agency.full_clean()
    assert "code" in refused.value.message_dict
