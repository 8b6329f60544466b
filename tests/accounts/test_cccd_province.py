"""A CCCD number begins with the code of a real birth-registration province: one of the 63."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.demo import seed_persons
from accounts.validators import CCCD_PROVINCE_CODES, IdType, validate_id_document
from lookup.models import Province

BORN = datetime.date(1988, 3, 15)


def test_the_63_birth_province_codes():
    assert len(CCCD_PROVINCE_CODES) == 63
    assert {"001", "030", "046", "077", "079", "096"} <= CCCD_PROVINCE_CODES.keys()


@pytest.mark.parametrize("code", sorted(CCCD_PROVINCE_CODES))
def test_every_real_province_code_passes(code):
    validate_id_document(IdType.CCCD, f"{code}088012345", birth_date=BORN, sex=1)


@pytest.mark.parametrize("code", ["000", "003", "005", "007", "009", "013", "016", "018", "021", "028", "029",
                                  "032", "039", "041", "050", "063", "076", "078", "081", "085", "090", "097", "999"])
def test_a_code_no_province_has_is_refused(code):
    with pytest.raises(ValidationError) as error:
        validate_id_document(IdType.CCCD, f"{code}088012345", birth_date=BORN, sex=1)
    assert "mã tỉnh nơi đăng ký khai sinh" in str(error.value)


@pytest.mark.django_db
def test_todays_provinces_kept_a_birth_province_code(reference_data):
    """The demo seed and the benchmark data write a person's own province as "0" + its code."""
    assert {f"0{code}" for code in Province.objects.values_list("code", flat=True)} <= CCCD_PROVINCE_CODES.keys()


@pytest.mark.django_db
def test_the_demo_seed_writes_real_province_codes_only(reference_data):
    persons, _created = seed_persons(count=400, seed=3)
    assert {person.id_number[:3] for person in persons} <= CCCD_PROVINCE_CODES.keys()
    assert len({person.id_number[:3] for person in persons}) > 40  # born all over the country, not only where they live
    for person in persons[:50]:
        person.full_clean(exclude=["bhxh_code"])
