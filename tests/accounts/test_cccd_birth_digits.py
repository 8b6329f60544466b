"""A CCCD number's digits 4 to 6 give its holder's sex, century and year of birth (Decree 137/2015/NĐ-CP,
art. 7, as amended by Decree 37/2021/NĐ-CP): a number that cannot be a person born on the date given (of
the sex given, where it is known) is refused on the number, saying what those digits should be; a
CMND's or a passport's number, which has no such digits, is not compared with anything."""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError

from accounts.validators import IdType, validate_id_document

from .helpers import declaration_data, make_person
from .test_code_lookup import lookup

SEX_UNKNOWN = ("Chữ số thứ 4 đến 6 của số CCCD cho biết giới tính, thế kỷ sinh và năm sinh: người sinh năm {year} "
               "có các chữ số này là {male} (nam) hoặc {female} (nữ). Hãy kiểm tra lại số CCCD và ngày sinh.")
OF_A_SEX = ("Chữ số thứ 4 đến 6 của số CCCD cho biết giới tính, thế kỷ sinh và năm sinh: {sex} sinh năm {year} "
            "có các chữ số này là {digits}. Hãy kiểm tra lại số CCCD, ngày sinh và giới tính.")


def refusal(number, birth, sex=None):
    with pytest.raises(ValidationError) as error:
        validate_id_document(IdType.CCCD, number, birth_date=birth, sex=sex)
    return error.value.message_dict


@pytest.mark.parametrize(("number", "birth"), [
    ("079290012345", datetime.date(1990, 5, 2)),  # a 2000s digit (2) for 1990: a wrong century
    ("079091012345", datetime.date(1990, 5, 2)),  # a wrong year
    ("079390012345", 1990),                       # a birth year alone (the lookup's), a wrong century
])
def test_1990_without_a_sex_is_told_both_sexes_digits(number, birth):
    year = 1990
    assert refusal(number, birth) == {"id_number": [SEX_UNKNOWN.format(year=year, male="090", female="190")]}


@pytest.mark.parametrize("number", ["001005012345", "001105012345", "001405012345", "001206012345"])
def test_2005_without_a_sex_is_told_both_sexes_digits(number):
    assert refusal(number, datetime.date(2005, 1, 2)) == {
        "id_number": [SEX_UNKNOWN.format(year=2005, male="205", female="305")]}


@pytest.mark.parametrize(("number", "birth", "sex", "said", "digits"), [
    ("079190012345", datetime.date(1990, 5, 2), 1, "nam", "090"),  # a woman's digit for a man
    ("079090012345", datetime.date(1990, 5, 2), 2, "nữ", "190"),
    ("001305012345", datetime.date(2005, 1, 2), 1, "nam", "205"),
    ("001205012345", datetime.date(2005, 1, 2), 2, "nữ", "305"),
    ("001091012345", datetime.date(1990, 5, 2), 1, "nam", "090"),  # the right sex, a wrong year
    ("001105012345", datetime.date(2005, 1, 2), 2, "nữ", "305"),   # the right sex, a wrong century
])
def test_where_the_sex_is_known_the_digits_of_that_sex_are_told(number, birth, sex, said, digits):
    assert refusal(number, birth, sex) == {
        "id_number": [OF_A_SEX.format(sex=said, year=birth.year, digits=digits)]}


@pytest.mark.parametrize(("number", "birth", "sex"), [
    ("079090012345", datetime.date(1990, 5, 2), 1), ("079190012345", datetime.date(1990, 5, 2), 2),
    ("079090012345", datetime.date(1990, 5, 2), None), ("079190012345", 1990, None),
    ("001205012345", datetime.date(2005, 1, 2), 1), ("001305012345", datetime.date(2005, 1, 2), 2),
    ("001205012345", 2005, None), ("001305012345", datetime.date(2005, 1, 2), None),
])
def test_a_number_that_fits_the_birth_date_and_sex_passes(number, birth, sex):
    validate_id_document(IdType.CCCD, number, birth_date=birth, sex=sex)


PROVINCE = "Ba chữ số đầu của số CCCD là mã tỉnh nơi đăng ký khai sinh; không tỉnh nào có mã {code}. Hãy kiểm tra lại số CCCD."


@pytest.mark.parametrize("code", ["000", "097"])
def test_a_province_code_outside_001_to_096_is_told_what_it_should_be(code):
    assert refusal(f"{code}090012345", datetime.date(1990, 5, 2)) == {"id_number": [PROVINCE.format(code=code)]}


@pytest.mark.parametrize(("id_type", "number"), [(IdType.CMND, "023456789"), (IdType.PASSPORT, "C1234567")])
@pytest.mark.parametrize("sex", [1, 2, None])
def test_a_cmnd_or_a_passport_number_is_not_compared_with_the_birth_date_or_sex(id_type, number, sex):
    for birth in (datetime.date(1990, 5, 2), datetime.date(2005, 1, 2), 1990):
        validate_id_document(id_type, number, birth_date=birth, sex=sex)


# The forms


@pytest.mark.django_db
def test_the_registration_tells_it_on_the_number(client, reference_data):
    from .test_registration import errors_of

    make_person()  # born 15/03/1988
    html = client.post("/dang-ky/", declaration_data(id_number="079288012345")).content.decode()
    message = SEX_UNKNOWN.format(year=1988, male="088", female="188")
    assert f'<a href="#id_id_number">{message}</a>' in errors_of(html)
    assert client.post("/dang-ky/", declaration_data()).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("birth_date", ["15/03/1988", "1988"])
def test_the_code_lookup_tells_it_on_the_number_without_counting_a_search(client, reference_data, settings,
                                                                           birth_date):
    make_person()
    settings.CODE_LOOKUP_RATES = {"ip": "1/h", "network": "1/h"}
    response = lookup(client, id_number="079081012345", birth_date=birth_date)  # 1981 by its digits
    html = response.content.decode()
    message = SEX_UNKNOWN.format(year=1988, male="088", female="188")
    assert response.status_code == 400 and message in html and 'href="#id_id_number"' in html
    assert "Không tìm thấy mã số BHXH khớp" not in html
    assert "7901234567" in lookup(client).content.decode()  # the hour's one search is still there


@pytest.mark.django_db
@pytest.mark.parametrize(("id_number", "birth_date"), [("079188012345", "15/03/1988"), ("079188012345", "1988")])
def test_the_code_lookup_asks_no_sex(client, reference_data, id_number, birth_date):
    """A woman's digit for a man born that year is not refused: the lookup does not know the sex, and the
    registry's record is what answers."""
    make_person()
    response = lookup(client, id_number=id_number, birth_date=birth_date)
    assert response.status_code == 200 and "Không tìm thấy mã số BHXH khớp" in response.content.decode()


@pytest.mark.django_db
def test_the_code_lookup_labels_its_number_as_the_registration_does(client, reference_data):
    registration = client.get("/dang-ky/").content.decode()
    assert '<label for="id_id_number">Số giấy tờ</label>' in registration
    assert '<label for="id_id_number">Số giấy tờ</label>' in client.get("/tra-cuu/ma-so-bhxh/").content.decode()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/tra-cuu/ma-so-bhxh/").content.decode()
    assert '<label for="id_id_number">Document number</label>' in english


@pytest.mark.django_db
def test_the_code_lookup_lets_a_passport_number_be_typed_on_a_phone(client, reference_data):
    """A numeric keyboard has no letter, and a passport number starts with one."""
    field = re.search(r'<input[^>]*id="id_id_number"[^>]*>', client.get("/tra-cuu/ma-so-bhxh/").content.decode())
    assert field and 'inputmode="numeric"' not in field.group(0)
    assert "CCCD, CMND hoặc hộ chiếu" in client.get("/tra-cuu/ma-so-bhxh/").content.decode()


@pytest.mark.django_db
def test_a_person_added_with_a_number_of_the_other_sex_is_told_that_sexs_digits(reference_data):
    from accounts.models import Person

    person = make_person(sex=2, id_number="079188012345", code="7901234599")
    Person.objects.filter(pk=person.pk).delete()
    person.pk, person.id_number = None, "079088012345"
    with pytest.raises(ValidationError) as error:
        person.full_clean(validate_unique=False, validate_constraints=False)
    assert error.value.message_dict["id_number"] == [OF_A_SEX.format(sex="nữ", year=1988, digits="188")]
