"""A completed 608A changes the registry: the agency approved the new name, birth date, sex or ID
number, so the citizen's pages show them from then on. A CCCD encodes the birth year and sex, so a
change that would leave the number on record disagreeing is refused when it is declared, and the
registry refuses it again at completion (nothing is half written)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Person
from public_services.models import Filing
from public_services.services import filing_complete, filing_receive, filing_start

from .helpers import answers, complete, district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

BOOK_CHANGE = "/dich-vu-cong/cap-lai-so-bhxh-thay-doi-thong-tin/"


def test_the_approved_name_and_birth_date_reach_the_registry_and_the_pages(client, owner, district_officer):
    owner.person.birth_year_only = True
    owner.person.save(update_fields=["birth_year_only"])
    filing = submit(owner, "608A")
    assert Person.objects.get(pk=owner.person_id).full_name == "Nguyễn Văn Đức"  # not before the agency decides
    complete(filing, district_officer)
    person = Person.objects.get(pk=owner.person_id)
    assert (person.full_name, person.name_key) == ("Nguyễn Văn Đức Thành", "nguyen van duc thanh")
    assert (person.birth_date, person.birth_year_only) == (datetime.date(1988, 3, 16), False)
    client.force_login(owner)
    html = client.get("/ca-nhan/").content.decode()
    assert "Nguyễn Văn Đức Thành" in html and "16/03/1988" in html


@pytest.mark.parametrize(("year_only", "refused"), [(True, False), (False, True)])
def test_a_full_birth_date_of_01_01_is_new_only_to_a_record_of_the_year_alone(owner, district_officer, year_only,
                                                                                refused):
    """A year-only record stores 01/01 of its year: someone recorded as born in 1988 alone, born on
    01/01/1988, may declare it, as the completion writes it; a record of that full date may not."""
    Person.objects.filter(pk=owner.person_id).update(birth_date=datetime.date(1988, 1, 1), birth_year_only=year_only)
    owner.person.refresh_from_db()
    from public_services.procedures import registry

    procedure = registry.get("608A")
    form = procedure.form(data=answers("608A", changes=["birth_date"], new_full_name="", new_birth_date="01/01/1988"),
                          person=owner.person, kept=procedure.upload_fields)  # the evidence kept from before
    form.is_valid()
    errors = form.errors
    same = "Giá trị mới trùng với thông tin hiện có trong hồ sơ BHXH."
    assert (same in errors.get("new_birth_date", [])) is refused, errors
    if not refused:
        assert errors == {}
        complete(submit(owner, "608A", changes=["birth_date"], new_full_name="", new_birth_date="01/01/1988"),
                 district_officer)
        person = Person.objects.get(pk=owner.person_id)
        assert (person.birth_date, person.birth_year_only) == (datetime.date(1988, 1, 1), False)


def test_a_new_sex_with_a_new_cccd_is_written_together(owner, district_officer):
    filing = submit(owner, "608A", changes=["sex", "id_number"], new_full_name="", new_birth_date="",
                    new_sex="2", new_id_number="079188012345")
    complete(filing, district_officer)
    person = Person.objects.get(pk=owner.person_id)
    assert (person.sex, person.id_number, person.full_name) == (Person.Sex.FEMALE, "079188012345", "Nguyễn Văn Đức")


def test_a_new_sex_beside_the_old_cccd_is_refused_when_declared(client, owner):
    client.force_login(owner)
    page = client.get(BOOK_CHANGE).content.decode()
    key = page.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
    data = {**answers("608A", changes=["sex"], new_full_name="", new_birth_date="", new_sex="2"),
            "idempotency_key": key}
    response = client.post(BOOK_CHANGE, data)
    assert response.status_code == 200
    assert "hãy chọn thêm “Số CCCD” và khai số CCCD mới" in response.content.decode()


def test_the_registry_refuses_at_completion_what_no_longer_agrees(owner, district_officer):
    filing = submit(owner, "608A")
    Person.objects.filter(pk=owner.person_id).update(id_number="079089012345")  # corrected meanwhile: born 1989
    filing_receive(filing=filing, officer=district_officer)
    filing_start(filing=filing, officer=district_officer)
    with pytest.raises(ValidationError, match="Không cập nhật được hồ sơ BHXH của 7901234567"):
        filing_complete(filing=filing, officer=district_officer)
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING
    assert Person.objects.get(pk=owner.person_id).full_name == "Nguyễn Văn Đức"


def test_a_cccd_another_person_holds_is_refused_when_declared_and_at_completion(client, owner, district_officer):
    from tests.accounts.helpers import make_person

    make_person("7909990002", "Trần Thị Lan", birth=datetime.date(1988, 6, 1), sex=2, id_number="079188012345")
    errors = _form_errors(owner, changes=["sex", "id_number"], new_full_name="", new_birth_date="", new_sex="2",
                          new_id_number="079188012345")
    assert "Số CCCD này đã có trong hồ sơ BHXH của người khác" in " ".join(errors["new_id_number"])
    # declared before the other person's record had it: the registry refuses at completion
    Person.objects.filter(bhxh_code="7909990002").update(id_number="079188099999")
    filing = submit(owner, "608A", changes=["sex", "id_number"], new_full_name="", new_birth_date="", new_sex="2",
                    new_id_number="079188012345")
    Person.objects.filter(bhxh_code="7909990002").update(id_number="079188012345")
    filing_receive(filing=filing, officer=district_officer)
    filing_start(filing=filing, officer=district_officer)
    with pytest.raises(ValidationError, match="đã có trong hồ sơ BHXH của người khác"):
        filing_complete(filing=filing, officer=district_officer)
    assert Person.objects.get(pk=owner.person_id).id_number == "079088012345"


def _form_errors(owner, **overrides):
    from public_services.procedures import registry

    procedure = registry.get("608A")
    form = procedure.form(answers("608A", **overrides), person=owner.person)
    form.is_valid()
    return form.errors


def test_a_new_cccd_is_not_compared_with_the_old_birth_date_when_the_new_one_is_refused(owner):
    """A new birth date typed wrong is neither the old one nor any: the new CCCD's digits are checked alone
    (told at once), and against a birth date only once one is valid."""
    owner.person.refresh_from_db()
    born = owner.person.birth_date.year + 2  # the new CCCD's year, not the one on record
    number = f"0790{born % 100:02d}012345"
    errors = _form_errors(owner, changes=["birth_date", "id_number"], new_full_name="",
                          new_birth_date=f"31/02/{born}", new_id_number=number)
    assert "new_birth_date" in errors and "new_id_number" not in errors
    errors = _form_errors(owner, changes=["birth_date", "id_number"], new_full_name="",
                          new_birth_date=f"31/02/{born}", new_id_number="123")
    assert "new_birth_date" in errors and "Số CCCD gồm đúng 12 chữ số." in errors["new_id_number"]
    errors = _form_errors(owner, changes=["birth_date", "id_number"], new_full_name="",
                          new_birth_date=f"15/03/{born}", new_id_number=number)
    assert "new_birth_date" not in errors and "new_id_number" not in errors
