"""An officer does not write the benefit records of their own record nor of a child a login of theirs is
(or was) guardian of (amounts, statuses, payment): the change page shows them read-only and says why,
its POST, the add form, the status actions and the services refuse them; a stranger's they still write.
An officer whose own record is not known writes none."""

import pytest
from django.core.exceptions import ValidationError

from benefits.models import BenefitRecord
from benefits.services import benefit_save, benefit_set_status
from tests.accounts.helpers import (
    OWN_RECORD_SAID,
    RECORD_UNKNOWN_SAID,
    officer,
)

from .helpers import DISTRICT, admin_form, decided, record

pytestmark = pytest.mark.usefixtures("reference_data")
LIST = "/quan-tri/benefits/benefitrecord/"
CHANGE = LIST + "{}/change/"
OWN, UNKNOWN = OWN_RECORD_SAID, RECORD_UNKNOWN_SAID


@pytest.mark.parametrize("whose", ["own", "child"])
def test_the_officers_own_or_childs_record_is_shown_read_only_saying_why_and_its_post_refused(client, own_record_family, whose):
    staff, people = own_record_family
    theirs = record(people[whose], **decided())
    client.force_login(staff)
    html = client.get(CHANGE.format(theirs.pk)).content.decode()
    assert OWN in html and 'name="_save"' not in html
    response = client.post(CHANGE.format(theirs.pk), {"amount": "99.000.000", "status": "paid"})
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert (theirs.amount, theirs.status, theirs.revision) == (11_531_338, "approved", 0)


def test_a_strangers_record_the_officer_still_changes(client, own_record_family):
    staff, people = own_record_family
    strangers = record(people["stranger"], **decided())
    client.force_login(staff)
    data = admin_form(client, CHANGE.format(strangers.pk))
    response = client.post(CHANGE.format(strangers.pk), {**data, "amount": "12.000.000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert BenefitRecord.objects.get(pk=strangers.pk).amount == 12_000_000


def test_the_add_form_refuses_a_record_of_the_officers_child_beside_the_person(client, own_record_family):
    staff, people = own_record_family
    client.force_login(staff)
    data = {**admin_form(client, LIST + "add/"), "reference": "079-2025-000777", "kind": "om_dau",
            "received_on": "2025-09-01", "agency": str(people["child"].agency_id), "expected_on": "2025-09-10",
            "status": "received", "days_off": "4"}
    response = client.post(LIST + "add/", {**data, "person": people["child"].pk})
    assert response.status_code == 200 and OWN in response.content.decode()
    assert not BenefitRecord.objects.exists()
    response = client.post(LIST + "add/", {**data, "person": people["stranger"].pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert BenefitRecord.objects.get().person == people["stranger"]


def test_the_status_actions_leave_the_officers_own_and_childs_records_saying_why_and_move_a_strangers(
        client, own_record_family):
    staff, people = own_record_family
    rows = {whose: record(person, **decided()) for whose, person in people.items()}
    client.force_login(staff)
    response = client.post(LIST, {"action": "mark_paid", "_selected_action": [obj.pk for obj in rows.values()]},
                           follow=True)
    assert OWN in response.content.decode()
    statuses = {whose: BenefitRecord.objects.get(pk=obj.pk).status for whose, obj in rows.items()}
    assert statuses == {"own": "approved", "child": "approved", "stranger": "paid"}


def test_the_services_refuse_the_officer_their_own_and_childs_records(own_record_family):
    staff, people = own_record_family
    for whose in ("own", "child"):
        theirs = record(people[whose], **decided())
        with pytest.raises(ValidationError, match=OWN):
            benefit_set_status(record=theirs, status="paid", actor=staff)
        theirs.amount = 99_000_000
        with pytest.raises(ValidationError, match=OWN):
            benefit_save(record=theirs, actor=staff)
        assert BenefitRecord.objects.get(pk=theirs.pk).amount == 11_531_338
    with pytest.raises(ValidationError, match=OWN):
        benefit_save(record=record(people["child"], save=False), actor=staff)


def test_an_officer_whose_own_record_is_not_known_writes_no_record(client, own_record_family):
    _staff, people = own_record_family
    strangers = record(people["stranger"], **decided())
    unknown = officer("canbo07901b", "07901", DISTRICT, own_record=False)
    client.force_login(unknown)
    html = client.get(CHANGE.format(strangers.pk)).content.decode()
    assert UNKNOWN in html and 'name="_save"' not in html
    assert client.post(CHANGE.format(strangers.pk), {"amount": "1"}).status_code == 403
    client.post(LIST, {"action": "mark_paid", "_selected_action": [strangers.pk]})
    assert BenefitRecord.objects.get(pk=strangers.pk).status == "approved"
