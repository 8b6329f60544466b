import pytest
from django.contrib.auth import get_user_model

from tests.accounts.helpers import make_person


@pytest.fixture
def person(db, reference_data):
    return make_person()


@pytest.fixture
def citizen(person):
    return get_user_model().objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)
