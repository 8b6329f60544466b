"""The registry's name, edited in the admin, follows the rule every form that takes a name does."""

import pytest
from django.forms.models import model_to_dict

from accounts.admin import PersonAdminForm

from .helpers import make_person

pytestmark = pytest.mark.usefixtures("reference_data")


def edited(person, name):
    data = {key: value for key, value in model_to_dict(person).items() if value is not None}
    return PersonAdminForm(data={**data, "full_name": name}, instance=person)


@pytest.mark.parametrize("name", ["Nguyễn Văn 2", "Nguyễn <b>Văn</b>", "\u200b\u200b"])
def test_a_name_that_is_not_a_persons_is_refused_and_the_registry_keeps_the_old_one(db, name):
    person = make_person()
    form = edited(person, name)
    assert not form.is_valid() and "full_name" in form.errors
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn Đức"


def test_a_new_name_is_stored_without_invisible_characters(db):
    person = make_person()
    form = edited(person, "Nguyễn\u200b Văn  Đức-Anh")
    assert form.is_valid(), form.errors
    form.save()
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn Đức-Anh" and person.name_key == "nguyen van duc-anh"
