"""The migration giving the people recorded before them the folded keys of their mother's and father's
names (accounts 0020_person_parent_keys_filled), which the BHXH-code lookup compares in its query:
a child without an ID number recorded before the deploy is still found by a parent's name.

It moves the schema of the test database back and forward, so it commits (transaction=True) and
puts every migration back on the way out, passing or failing, as the other migration tests do."""

import datetime
import importlib

import pytest
from django.apps import apps as live_apps

from accounts.models import Person
from accounts.selectors import person_for_code_lookup
from lookup.models import Province
from tests.accounts.helpers import make_person
from tests.db_migrations import back_to_latest, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0018_officers_view_employers")]
BORN = datetime.date(2020, 5, 10)


def test_the_parent_name_keys_are_filled_for_the_people_recorded_before_them(reference_data):
    mothered = make_person("7930000001", "Nguyễn Minh Anh", birth=BORN, id_number="")
    fathered = make_person("7930000002", "Nguyễn Minh Anh", birth=BORN, id_number="")
    orphan = make_person("7930000003", "Nguyễn Minh Anh", birth=BORN, id_number="")
    try:
        old_apps = migrate(BEFORE)
        OldPerson = old_apps.get_model("accounts", "Person")
        OldPerson.objects.filter(pk=mothered.pk).update(mother_name="Trần Thị Mai")
        OldPerson.objects.filter(pk=fathered.pk).update(mother_name="Lê Thị Hoa", father_name="  Phạm  Văn Bình ")
        migrate()
    finally:
        back_to_latest(Person)
    keys = {pk: (mother, father) for pk, mother, father in Person.objects.values_list("pk", "mother_key", "father_key")}
    assert keys == {mothered.pk: ("tran thi mai", ""), fathered.pk: ("le thi hoa", "pham van binh"), orphan.pk: ("", "")}
    province = Province.objects.get(code="79")
    assert person_for_code_lookup(full_name="nguyen minh anh", birth_date=BORN, province=province,
                                  parent_name="Phạm Văn Bình").pk == fathered.pk


def test_run_again_after_a_stop_it_leaves_the_keys_already_filled(reference_data):
    """Stopped midway, the migration is run again from the start: the people it filled are left as they are."""
    filled = importlib.import_module("accounts.migrations.0020_person_parent_keys_filled")
    done = make_person("7930000001", "Nguyễn Minh Anh", birth=BORN, id_number="")
    left = make_person("7930000002", "Nguyễn Minh Anh", birth=BORN, id_number="")
    Person.objects.filter(pk=done.pk).update(mother_name="Trần Thị Mai", mother_key="already filled")
    Person.objects.filter(pk=left.pk).update(father_name="Phạm Văn Bình")
    filled.fill_parent_keys(live_apps, None)
    keys = {pk: (mother, father) for pk, mother, father in Person.objects.values_list("pk", "mother_key", "father_key")}
    assert keys == {done.pk: ("already filled", ""), left.pk: ("", "pham van binh")}
