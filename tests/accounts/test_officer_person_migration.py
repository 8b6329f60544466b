"""The migration adding User.officer_person (accounts 0021_user_officer_person) names, for every staff
login that logs in as a record, that record as the officer's own; citizens' logins and staff logins
without a record are left alone (the account's admin page asks an officer's code when it is next saved)."""

import importlib

import pytest
from django.apps import apps as live_apps

from accounts.models import User

from .helpers import make_person

pytestmark = pytest.mark.usefixtures("reference_data")

named = importlib.import_module("accounts.migrations.0021_user_officer_person").name_the_record_logged_in_as


def test_a_staff_login_of_a_record_names_it_as_the_officers_own(db):
    thu = make_person("7906666666", "Lê Thị Thu", sex=2, id_number="079188066666")
    duc = make_person()
    staff = User.objects.create_user("canbo07901", password="x-Pass-2026!", is_staff=True, person=thu)
    citizen = User.objects.create_user(duc.bhxh_code, password="x-Pass-2026!", person=duc)
    bare = User.objects.create_user("canbo07902", password="x-Pass-2026!", is_staff=True)
    named(live_apps, None)
    assert [User.objects.get(pk=user.pk).officer_person_id for user in (staff, citizen, bare)] == [thu.pk, None, None]
