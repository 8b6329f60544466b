"""`seed_demo`: deterministic, realistic, valid, and a second run changes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Person, User


def seed(persons=60, seed=7):
    out = io.StringIO()
    call_command("seed_demo", persons=persons, seed=seed, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_makes_valid_people_and_the_demo_logins(reference_data):
    output = seed()
    assert Person.objects.count() == 60
    for person in Person.objects.select_related("province", "ward"):
        person.full_clean()  # codes, CCCD digits vs birth date and sex, mobile numbers
        assert person.ward.province_id == person.province_id
    assert Person.objects.filter(full_name__regex=r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]").count() > 30
    citizen = User.objects.get(username="7901234567")
    assert citizen.person.full_name == "Nguyễn Văn Đức"
    assert User.objects.get(username="canbo07901").agency.code == "07901"
    assert User.objects.get(username="canbo079").agency.code == "079"
    assert User.objects.get(username="nhanvienkcb").facility.bhyt_contract
    assert User.objects.get(username="quantri").is_superuser
    assert citizen.check_password("BhxhDemo@2026")
    for username in ("7901234567", "canbo07901", "canbo079", "nhanvienkcb", "quantri"):
        assert username in output


@pytest.mark.django_db
def test_same_seed_same_people_and_second_run_changes_nothing(reference_data):
    seed(seed=11)
    first = list(Person.objects.order_by("bhxh_code").values_list("bhxh_code", "full_name", "birth_date", "id_number"))
    output = seed(seed=11)
    assert "0 mới, 60 đã có" in output
    assert list(Person.objects.order_by("bhxh_code").values_list(
        "bhxh_code", "full_name", "birth_date", "id_number")) == first
    assert User.objects.count() == 5


@pytest.mark.django_db
def test_seed_needs_reference_data_first(db):
    with pytest.raises(CommandError, match="load_reference_data"):
        seed()


@pytest.mark.django_db
def test_seed_refuses_to_run_in_production(reference_data, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        seed()
    assert not User.objects.exists()
