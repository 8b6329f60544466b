"""The migration capping a visit's money amounts (health_card 0011_visit_cost_caps): a visit or
a cost line already stored above the cap does not stop the deploy and is kept as it is, while every
amount written from then on is held to the cap by the database.

It moves the schema of the test database back and forward, so it commits (transaction=True) and
puts every migration back on the way out, passing or failing (as test_token_expiry_migration does)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from health_card.models import MAX_AMOUNT, Visit, VisitLine
from tests.accounts.helpers import make_person
from tests.db_migrations import back_to_latest, migrate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

BEFORE = [("health_card", "0010_api_token_expiry_required")]
ABOVE = MAX_AMOUNT * 10



def test_amounts_stored_above_the_cap_do_not_stop_the_migration_and_new_ones_are_refused():
    from lookup.models import MedicalFacility

    person = make_person()
    facility = MedicalFacility.objects.get(code="79001")
    values = {"person_id": person.pk, "facility_id": facility.pk, "kind": "noi_tru",
              "admitted_on": datetime.date(2025, 3, 4), "discharged_on": datetime.date(2025, 3, 9),
              "diagnosis_code": "K35.8", "diagnosis_name": "Viêm ruột thừa cấp"}
    try:
        old_apps = migrate(BEFORE)
        OldVisit, OldLine = (old_apps.get_model("health_card", name) for name in ("Visit", "VisitLine"))
        stored = OldVisit.objects.create(reference="LK-TYPO", total_cost=ABOVE, bhyt_paid=ABOVE, patient_paid=0,
                                         **values)
        OldLine.objects.create(visit=stored, category="thu_thuat", description="Phẫu thuật", quantity=1,
                               unit_price=ABOVE, amount=ABOVE, bhyt_amount=ABOVE)
        migrate()
        kept = Visit.objects.get(pk=stored.pk)
        assert (kept.total_cost, kept.lines.get().amount) == (ABOVE, ABOVE)
        with pytest.raises(IntegrityError), transaction.atomic():
            Visit.objects.create(reference="LK-NEW", total_cost=ABOVE, bhyt_paid=ABOVE, patient_paid=0, **values)
        with pytest.raises(IntegrityError), transaction.atomic():
            VisitLine.objects.create(visit=kept, category="thu_thuat", description="Phẫu thuật", quantity=1,
                                     unit_price=ABOVE, amount=ABOVE, bhyt_amount=0)
        # Within the cap, the visit stored above it is put right.
        Visit.objects.filter(pk=kept.pk).update(total_cost=MAX_AMOUNT, bhyt_paid=MAX_AMOUNT)
    finally:
        back_to_latest(VisitLine, Visit)  # for the tests after this one, whatever happened above
