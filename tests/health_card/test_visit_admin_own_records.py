"""An officer does not write the medical visits of their own record nor of a child a login of theirs is (or
was) guardian of: the change page shows them read-only and says why, sending no revision back, its POST, the
deletion, the add form and the save service refuse them; a stranger's they still write. An officer whose own
record is not known writes none."""

import pytest
from django.core.exceptions import ValidationError

from health_card.models import Visit
from health_card.services import visit_save, visits_delete
from tests.accounts.helpers import (
    OWN_RECORD_SAID,
    RECORD_UNKNOWN_SAID,
    officer,
)
from tests.benefits.helpers import admin_form

from .test_visits import ADMIN, DISTRICT, add_data, standard_lines, visit

pytestmark = pytest.mark.usefixtures("reference_data")
CHANGE = ADMIN + "{}/change/"
OWN, UNKNOWN = OWN_RECORD_SAID, RECORD_UNKNOWN_SAID


@pytest.mark.parametrize("whose", ["own", "child"])
def test_the_officers_own_or_childs_visit_is_shown_read_only_saying_why_and_its_post_refused(client, own_record_family, whose):
    staff, people = own_record_family
    theirs = visit(people[whose])
    client.force_login(staff)
    html = client.get(CHANGE.format(theirs.pk)).content.decode()
    assert OWN in html and 'name="_save"' not in html and "seen_version" not in html  # no revision sent back
    response = client.post(CHANGE.format(theirs.pk), {"diagnosis_name": "Viêm họng cấp", "total_cost": "1"})
    assert response.status_code == 403
    stored = Visit.objects.get(pk=theirs.pk)
    assert (stored.diagnosis_name, stored.total_cost, stored.revision) == (
        theirs.diagnosis_name, theirs.total_cost, 0)


@pytest.mark.parametrize("whose", ["own", "child"])
def test_the_officers_own_or_childs_visit_is_not_deleted_even_by_a_superuser(client, own_record_family, whose):
    staff, people = own_record_family
    staff.is_superuser = True  # a district officer deletes no visit: a superuser does, their own not either
    staff.save(update_fields=["is_superuser"])
    theirs, strangers = visit(people[whose]), visit(people["stranger"])
    client.force_login(staff)
    assert client.post(CHANGE.format(theirs.pk).replace("change/", "delete/"), {"post": "yes"}).status_code == 403
    client.post(ADMIN, {"action": "delete_selected", "_selected_action": [theirs.pk, strangers.pk], "post": "yes"})
    assert Visit.objects.filter(pk__in=[theirs.pk, strangers.pk]).count() == 2
    response = client.post(CHANGE.format(strangers.pk).replace("change/", "delete/"), {"post": "yes"})
    assert response.status_code == 302 and not Visit.objects.filter(pk=strangers.pk).exists()


def test_a_strangers_visit_the_officer_still_changes(client, own_record_family):
    staff, people = own_record_family
    strangers = visit(people["stranger"])
    client.force_login(staff)
    assert OWN not in client.get(CHANGE.format(strangers.pk)).content.decode()
    data = admin_form(client, CHANGE.format(strangers.pk), form_id="visit_form")
    response = client.post(CHANGE.format(strangers.pk), {**data, "diagnosis_name": "Viêm họng cấp"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Visit.objects.get(pk=strangers.pk).diagnosis_name == "Viêm họng cấp"


def test_the_add_form_refuses_a_visit_of_the_officers_own_or_childs_code(client, own_record_family):
    staff, people = own_record_family
    client.force_login(staff)
    for whose in ("own", "child"):
        response = client.post(ADMIN + "add/", add_data(people[whose].bhxh_code, "79001"))
        assert response.status_code == 200 and OWN in response.content.decode()
        assert OWN in " ".join(response.context["adminform"].form.errors["bhxh_code"])  # beside the code typed
    assert not Visit.objects.exists()
    response = client.post(ADMIN + "add/", add_data(people["stranger"].bhxh_code, "79001"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Visit.objects.get().person == people["stranger"]


def test_the_save_service_refuses_the_officer_their_own_and_childs_visits(own_record_family):
    staff, people = own_record_family
    for whose in ("own", "child"):
        theirs = visit(people[whose])
        theirs.diagnosis_name = "Viêm họng cấp"
        with pytest.raises(ValidationError, match=OWN):
            visit_save(visit=theirs, lines=list(theirs.lines.all()), actor=staff)
        assert Visit.objects.get(pk=theirs.pk).revision == 0
        new = visit(people[whose], save=False)
        with pytest.raises(ValidationError, match=OWN):
            visit_save(visit=new, lines=standard_lines(), actor=staff)
        assert new.pk is None
    assert visit_save(visit=visit(people["stranger"], save=False), lines=standard_lines(), actor=staff)


def test_the_deletion_service_refuses_the_officer_their_own_and_childs_visits_and_deletes_none(own_record_family):
    staff, people = own_record_family
    theirs, strangers = visit(people["child"]), visit(people["stranger"])
    with pytest.raises(ValidationError, match=OWN):
        visits_delete(visits=Visit.objects.filter(pk__in=[theirs.pk, strangers.pk]), actor=staff)
    assert Visit.objects.count() == 2
    visits_delete(visits=Visit.objects.filter(pk=strangers.pk), actor=staff)
    assert list(Visit.objects.all()) == [theirs]
    with pytest.raises(ValidationError, match=UNKNOWN):
        visits_delete(visits=Visit.objects.all(), actor=officer("canbo07901b", "07901", DISTRICT, own_record=False))
    assert list(Visit.objects.all()) == [theirs]


def test_an_officer_whose_own_record_is_not_known_writes_no_visit(client, own_record_family):
    _staff, people = own_record_family
    strangers = visit(people["stranger"])
    unknown = officer("canbo07901b", "07901", DISTRICT, own_record=False)
    client.force_login(unknown)
    html = client.get(CHANGE.format(strangers.pk)).content.decode()
    assert UNKNOWN in html and 'name="_save"' not in html
    assert client.post(CHANGE.format(strangers.pk), {"diagnosis_name": "Viêm họng cấp"}).status_code == 403
    response = client.post(ADMIN + "add/", add_data(people["stranger"].bhxh_code, "79001", reference="079-LK-0002"))
    assert response.status_code == 200 and UNKNOWN in response.content.decode()
    strangers.diagnosis_name = "Viêm họng cấp"
    with pytest.raises(ValidationError, match=UNKNOWN):
        visit_save(visit=strangers, lines=list(strangers.lines.all()), actor=unknown)
    assert Visit.objects.get().revision == 0
