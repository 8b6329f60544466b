"""An officer's save of a person's page opened before another write of the person's row is refused as
stale (vssid_portal.concurrent_edits), instead of writing back the values the page showed: the agency a
registration's approval or another officer moved the person to stays. A write of the person's cards,
periods or registrations alone (content_version) does not refuse it."""

import re

import pytest
from django.db.models import F

from accounts.models import Person, User
from lookup.models import Agency

from .helpers import make_person, officer_record

pytestmark = pytest.mark.usefixtures("reference_data")


def opened(client, person) -> tuple[str, dict]:
    """A superuser with a record of their own opens the person's change page: its url and what its form
    posts back (the hidden version as the page carries it included)."""
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!",
                                                     officer_person=officer_record("quantri")))
    url = f"/quan-tri/accounts/person/{person.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="seen_version"' in page.content.decode(), "the page does not post its version back"
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None}
    return url, data


def moved_elsewhere(person, agency):
    """Another writer of the person's row (an approved registration: person.save with updated_at)."""
    stored = Person.objects.get(pk=person.pk)
    stored.agency = agency
    stored.save(update_fields=["agency", "updated_at"])


@pytest.fixture
def two_agencies(db):
    first, second = Agency.objects.order_by("code")[:2]
    return first, second


def test_a_page_opened_before_the_person_was_moved_does_not_move_them_back(client, two_agencies):
    first, second = two_agencies
    person = make_person()
    Person.objects.filter(pk=person.pk).update(agency=first)
    url, data = opened(client, Person.objects.get(pk=person.pk))

    moved_elsewhere(person, second)
    response = client.post(url, {**data, "father_name": "Nguyễn Văn Hùng"})

    assert response.status_code == 200, "the save was not refused"
    assert "stale" in [error.code for error in response.context["adminform"].form.non_field_errors().as_data()]
    assert re.search(r'id="id_agency"', response.content.decode())
    stored = Person.objects.get(pk=person.pk)
    assert stored.agency == second, "the save wrote back the agency its page showed"
    assert stored.father_name is None


def test_the_save_sent_again_from_the_refused_page_goes_through(client, two_agencies):
    first, second = two_agencies
    person = make_person()
    Person.objects.filter(pk=person.pk).update(agency=first)
    url, data = opened(client, Person.objects.get(pk=person.pk))
    moved_elsewhere(person, second)
    refused = client.post(url, {**data, "father_name": "Nguyễn Văn Hùng"})
    again = refused.context["adminform"].form["seen_version"].value()

    response = client.post(url, {**data, "father_name": "Nguyễn Văn Hùng", "agency": second.pk,
                                 "seen_version": again})

    assert response.status_code == 302
    stored = Person.objects.get(pk=person.pk)
    assert (stored.agency, stored.father_name) == (second, "Nguyễn Văn Hùng")


def test_a_change_of_the_persons_cards_or_periods_alone_does_not_refuse_the_save(client):
    person = make_person()
    url, data = opened(client, person)
    # what the triggers of the person's cards, periods and registrations do (accounts/content_version.py)
    Person.objects.filter(pk=person.pk).update(content_version=F("content_version") + 1)

    response = client.post(url, {**data, "father_name": "Nguyễn Văn Hùng"})

    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).father_name == "Nguyễn Văn Hùng"
