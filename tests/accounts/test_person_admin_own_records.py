"""An officer does not write the registry's row of their own record nor of a child a login of theirs is (or
was) guardian of, a superuser with a record of their own neither: the person's page shows it read-only and
says why, its POST and its deletion are refused, the list's action ending sessions leaves their logins
logged in, and the deletion service refuses them; a stranger's row they still write. An officer whose own
record is not known writes none."""

import pytest
from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.test import Client

from accounts.models import Person, User
from accounts.services.persons import persons_delete
from tests.accounts.helpers import (
    OWN_RECORD_SAID,
    RECORD_UNKNOWN_SAID,
    cccd_for,
)
from tests.benefits.helpers import admin_form

pytestmark = pytest.mark.usefixtures("reference_data")
LIST = "/quan-tri/accounts/person/"
CHANGE = LIST + "{}/change/"
OWN, UNKNOWN = OWN_RECORD_SAID, RECORD_UNKNOWN_SAID


@pytest.fixture
def superuser_family(own_record_family):
    """The officer made a superuser: a district officer changes and deletes no person, a superuser does."""
    staff, people = own_record_family
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    return staff, people


def logged_in_logins(people) -> dict:
    """A login of each person logged in on a phone of theirs (the own record's is officer_with_family's)."""
    for whose in ("child", "stranger"):
        User.objects.create_user(people[whose].bhxh_code, password="x-Pass-2026!", person=people[whose])
    phones = {}
    for whose, person in people.items():
        phones[whose] = Client()
        phones[whose].force_login(User.objects.get(person=person))
        assert phones[whose].get("/ca-nhan/").status_code == 200
    return phones


def still_logged_in(people) -> dict:
    return {whose: UserSession.objects.filter(user__person=person).exists() for whose, person in people.items()}


@pytest.mark.parametrize("whose", ["own", "child"])
def test_the_officers_own_or_childs_person_is_shown_read_only_and_its_post_and_deletion_refused(
        client, superuser_family, whose):
    staff, people = superuser_family
    theirs = people[whose]
    client.force_login(staff)
    html = client.get(CHANGE.format(theirs.pk)).content.decode()
    assert OWN in html and 'name="_save"' not in html
    assert client.post(CHANGE.format(theirs.pk), {"mother_name": "Nguyễn Thị Hoa"}).status_code == 403
    assert client.post(CHANGE.format(theirs.pk).replace("change/", "delete/"), {"post": "yes"}).status_code == 403
    client.post(LIST, {"action": "delete_selected", "_selected_action": [theirs.pk, people["stranger"].pk],
                       "post": "yes"})
    assert Person.objects.filter(pk__in=[theirs.pk, people["stranger"].pk]).count() == 2
    assert Person.objects.get(pk=theirs.pk).mother_name == theirs.mother_name


def added(person) -> dict:
    """The add form for another person, the rest as `person`'s."""
    return {**{key: value for key, value in model_to_dict(person).items() if value is not None},
            "bhxh_code": "7901234598", "id_number": cccd_for(person.birth_date, sex=person.sex)}


def test_a_strangers_person_the_officer_still_changes_and_deletes_and_a_new_one_adds(client, superuser_family):
    staff, people = superuser_family
    strangers = people["stranger"]
    client.force_login(staff)
    response = client.post(LIST + "add/", added(strangers))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.filter(bhxh_code="7901234598").exists()
    assert OWN not in client.get(CHANGE.format(strangers.pk)).content.decode()
    data = admin_form(client, CHANGE.format(strangers.pk), form_id="person_form")
    response = client.post(CHANGE.format(strangers.pk), {**data, "mother_name": "Nguyễn Thị Hoa"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.get(pk=strangers.pk).mother_name == "Nguyễn Thị Hoa"
    response = client.post(CHANGE.format(strangers.pk).replace("change/", "delete/"), {"post": "yes"})
    assert response.status_code == 302 and not Person.objects.filter(pk=strangers.pk).exists()


def test_ending_sessions_leaves_the_officers_own_and_childs_logins_saying_why_and_ends_a_strangers(client, own_record_family):
    staff, people = own_record_family
    logged_in_logins(people)
    client.force_login(staff)
    response = client.post(LIST, {"action": "end_sessions", "_selected_action": [p.pk for p in people.values()]},
                           follow=True)
    html = response.content.decode()
    assert OWN in html and "Đã kết thúc 1 phiên đăng nhập." in html
    assert still_logged_in(people) == {"own": True, "child": True, "stranger": False}


def test_the_deletion_service_refuses_the_officer_their_own_and_childs_person(superuser_family):
    staff, people = superuser_family
    for whose in ("own", "child"):
        with pytest.raises(ValidationError, match=OWN):
            persons_delete(persons=Person.objects.filter(pk__in=[people[whose].pk, people["stranger"].pk]),
                           actor=staff)
    assert Person.objects.filter(pk__in=[person.pk for person in people.values()]).count() == 3
    persons_delete(persons=Person.objects.filter(pk=people["stranger"].pk), actor=staff)
    assert not Person.objects.filter(pk=people["stranger"].pk).exists()


def test_a_superuser_whose_own_record_is_not_known_writes_no_person(client, own_record_family):
    _staff, people = own_record_family
    logged_in_logins(people)
    strangers = people["stranger"]
    unknown = User.objects.create_superuser("quantri", password="x-Pass-2026!")
    client.force_login(unknown)
    html = client.get(CHANGE.format(strangers.pk)).content.decode()
    assert UNKNOWN in html and 'name="_save"' not in html
    assert client.post(CHANGE.format(strangers.pk), {"mother_name": "Nguyễn Thị Hoa"}).status_code == 403
    assert client.post(CHANGE.format(strangers.pk).replace("change/", "delete/"), {"post": "yes"}).status_code == 403
    response = client.post(LIST, {"action": "end_sessions", "_selected_action": [strangers.pk]}, follow=True)
    assert UNKNOWN in response.content.decode() and still_logged_in(people)["stranger"]
    response = client.post(LIST + "add/", added(strangers))
    assert response.status_code == 200 and UNKNOWN in response.content.decode()
    assert not Person.objects.filter(bhxh_code="7901234598").exists()
    with pytest.raises(ValidationError, match=UNKNOWN):
        persons_delete(persons=Person.objects.filter(pk=strangers.pk), actor=unknown)
    assert Person.objects.get(pk=strangers.pk).mother_name == strangers.mother_name


def test_the_account_lists_action_leaves_the_superusers_own_and_childs_citizen_logins_too(client, superuser_family):
    """As the person list's action: a superuser with a record of their own ends neither their own citizen
    login's sessions nor their child's from the account list; a stranger's they end."""
    staff, people = superuser_family
    logged_in_logins(people)
    client.force_login(staff)
    logins = User.objects.filter(person__in=people.values())
    response = client.post("/quan-tri/accounts/user/", {"action": "end_sessions",
                                                         "_selected_action": [login.pk for login in logins]},
                           follow=True)
    html = response.content.decode()
    assert OWN in html and "Đã kết thúc 1 phiên đăng nhập." in html
    assert still_logged_in(people) == {"own": True, "child": True, "stranger": False}
