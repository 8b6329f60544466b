"""The registry's name follows the rule every form that takes a name does — given in the admin to a
person added there, and by any path that validates the model (an approved correction of identity, an import)."""

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from accounts.admin import PersonAdminForm
from accounts.models import Person, User
from accounts.services.identity import person_correct_identity

from .helpers import make_person, officer_record

pytestmark = pytest.mark.usefixtures("reference_data")


def added(name):
    """The admin's add form for another person named `name`, the rest as a stored person's."""
    data = {key: value for key, value in model_to_dict(make_person()).items() if value is not None}
    return PersonAdminForm(data={**data, "bhxh_code": "7901234598", "full_name": name})


@pytest.mark.parametrize("name", ["Nguyễn Văn 2", "Nguyễn <b>Văn</b>", "\u200b\u200b"])
def test_a_name_that_is_not_a_persons_is_refused(db, name):
    form = added(name)
    assert not form.is_valid() and "full_name" in form.errors


def test_a_new_name_is_stored_without_invisible_characters(db):
    form = added("Nguyễn\u200b Văn  Đức-Anh")
    assert form.is_valid(), form.errors
    person = form.save()
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn Đức-Anh" and person.name_key == "nguyen van duc-anh"


@pytest.mark.parametrize("name", ["Nguyễn Văn 2", "Nguyễn <b>Văn</b>", "Trần_Thị"])
def test_the_model_refuses_such_a_name_whatever_writes_it(db, name):
    person = make_person()
    person.full_name = name
    with pytest.raises(ValidationError) as refused:
        person.full_clean(validate_unique=False, validate_constraints=False)
    assert refused.value.message_dict["full_name"] == [
        "Họ và tên chỉ được gồm chữ cái, dấu cách và các dấu gạch nối (-), nháy đơn (') hoặc chấm (.); "
        "không được có chữ số hay ký hiệu."]
    with pytest.raises(ValidationError):
        person_correct_identity(person=make_person("7901234599", "Lê Thị Hoa", sex=2, id_number="079188012399"),
                                full_name=name)
    assert sorted(type(person).objects.values_list("full_name", flat=True)) == ["Lê Thị Hoa", "Nguyễn Văn Đức"]


def test_a_name_stored_before_the_rule_does_not_hold_up_another_correction(db):
    import datetime

    person = make_person()
    type(person).objects.filter(pk=person.pk).update(full_name="Nguyễn Văn Đức 2", name_key="nguyen van duc 2")
    person.refresh_from_db()
    corrected = person_correct_identity(person=person, birth_date=datetime.date(1988, 3, 16))
    assert corrected.birth_date == datetime.date(1988, 3, 16) and corrected.full_name == "Nguyễn Văn Đức 2"
    with pytest.raises(ValidationError):
        person_correct_identity(person=person, full_name="Nguyễn Văn Đức 3")


def test_the_admin_name_search_can_be_served_by_the_trigram_index(db, rf):
    from django.contrib import admin
    from django.db import connection

    from accounts.models import Person
    from tests.conftest import missing

    found = make_person()
    model_admin = admin.site.get_model_admin(Person)
    results, _ = model_admin.get_search_results(rf.get("/"), Person.objects.all(), "NGUYỄN Đức")
    assert list(results) == [found]  # typed with capitals and accents, found in the folded key
    if connection.vendor != "postgresql":
        missing("trigram indexes are a PostgreSQL feature")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_person")
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: see what the planner *can* use
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = results.order_by().explain()  # the filter's plan, without the list's order
    assert "Seq Scan" not in plan, plan
    for index in ("accounts_person_name_trgm", "accounts_person_code_trgm", "accounts_person_id_number_trgm"):
        assert f"Bitmap Index Scan on {index}" in plan, plan


def change_page(client, **person):
    """A stored person (make_person's, with `person`'s changes), a superuser logged in on `client`,
    the person's change page and what its form holds."""
    person = make_person(**person)
    # a superuser naming a record of their own, without which they would write no person
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!",
                                                     officer_person=officer_record("quantri")))
    data = {key: value for key, value in model_to_dict(person).items() if value is not None}
    return person, f"/quan-tri/accounts/person/{person.pk}/change/", data


def test_the_contact_details_are_read_only_in_the_admin_even_for_a_superuser(db, client):
    """Issue 4: the phone and the contact address change through the contact change filing (its
    declaration, the SMS to the phone registered until then), never by a direct edit that nobody is
    told of; a person added in the admin is still given them."""
    person, url, data = change_page(client)
    html = client.get(url).content.decode()
    for field in ("phone", "province", "ward", "street"):
        assert f'name="{field}"' not in html, field
    assert "0912 345 678" in html or "+84912345678" in html
    other_ward = person.ward.__class__.objects.exclude(pk=person.ward_id).first()
    response = client.post(url, {**data, "birth_date": person.birth_date.strftime("%d/%m/%Y"), "phone": "0987654321",
                                 "street": "1 Lê Lợi", "ward": other_ward.pk, "province": other_ward.province_id})
    assert response.status_code == 302
    stored = Person.objects.get(pk=person.pk)
    assert (stored.phone.as_e164, stored.street, stored.ward_id) == ("+84912345678", "", person.ward_id)
    assert 'name="phone"' in client.get("/quan-tri/accounts/person/add/").content.decode()


IDENTITY = ("full_name", "birth_date", "birth_year_only", "sex", "id_type", "id_number")


def test_the_identity_is_read_only_in_the_admin_even_for_a_superuser(db, client):
    """The name, birth date (and whether only its year is known), sex and ID document change
    through the 608A filing, with its declaration TK1-TS and evidence, as person_correct_identity
    writes them; never by a direct edit in the admin. A person added in the admin is still given them."""
    person, url, data = change_page(client)
    html = client.get(url).content.decode()
    for field in IDENTITY:
        assert f'name="{field}"' not in html, field
    assert "Nguyễn Văn Đức" in html and "15/03/1988" in html and "079088012345" in html
    response = client.post(url, {**data, "full_name": "Nguyễn Văn Đạt", "birth_date": "16/03/1988", "sex": 2,
                                 "birth_year_only": "on", "id_type": "CMND", "id_number": "079188012345",
                                 "mother_name": "Trần Thị Mai"})
    assert response.status_code == 302
    stored = Person.objects.get(pk=person.pk)
    assert [getattr(stored, field) for field in IDENTITY] == [getattr(person, field) for field in IDENTITY]
    assert stored.mother_name == "Trần Thị Mai"  # what the page still edits is saved
    added = client.get("/quan-tri/accounts/person/add/").content.decode()
    for field in IDENTITY:
        assert f'name="{field}"' in added, field


def test_a_stored_identity_the_rules_now_refuse_does_not_hold_up_what_the_page_edits(db, client):
    """A person stored before the ID rules (a CCCD whose birth year disagrees with the birth date)
    is corrected by 608A; the change page, which no longer edits the identity, saves the rest."""
    import datetime

    person, url, data = change_page(client, birth=datetime.date(1990, 3, 15))  # the CCCD 079088… says 1988
    assert client.post(url, {**data, "mother_name": "Trần Thị Mai"}).status_code == 302
    stored = Person.objects.get(pk=person.pk)
    assert (stored.mother_name, stored.birth_date, stored.id_number) == ("Trần Thị Mai", person.birth_date, "079088012345")


def test_the_bhxh_code_is_read_only_in_the_admin_even_for_a_superuser(db, client):
    """The code is the person's for life: the card's QR, the account logging in with it and every
    record hang on it. The change page shows it without a field; a person added there is given one."""
    person, url, data = change_page(client)
    html = client.get(url).content.decode()
    assert 'name="bhxh_code"' not in html and person.bhxh_code in html
    response = client.post(url, {**data, "bhxh_code": "7901234598", "mother_name": "Trần Thị Mai"})
    assert response.status_code == 302
    stored = Person.objects.get(pk=person.pk)
    assert (stored.bhxh_code, stored.mother_name) == (person.bhxh_code, "Trần Thị Mai")
    assert 'name="bhxh_code"' in client.get("/quan-tri/accounts/person/add/").content.decode()
