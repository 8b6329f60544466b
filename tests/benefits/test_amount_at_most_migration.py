"""The migration capping a benefit's amounts (benefits 0007_amount_at_most): a record already stored
above the cap does not stop the deploy of a database that has not run it yet and is kept as it is,
while every amount written from then on is held to the cap by the database.

It moves the schema of the test database back and forward, so it commits (transaction=True) and
puts every migration back on the way out, passing or failing (as test_visit_cost_caps_migration does)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from benefits.models import MAX_AMOUNT, MAX_MONTHLY_AMOUNT, BenefitRecord
from lookup.models import Agency
from tests.accounts.helpers import make_person
from tests.db_migrations import back_to_latest, migrate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

BEFORE = [("benefits", "0006_search_indexes")]
# A decided claim: the amounts it carries are kept by the migrations after the caps (0008 clears
# those of a claim not decided).
DECIDED = {"status": "approved", "decision_number": "123/QĐ-BHXH", "decision_date": datetime.date(2025, 9, 10),
           "payment_method": "bank"}


def test_amounts_stored_above_the_cap_do_not_stop_the_migration_and_new_ones_are_refused():
    values = {"person_id": make_person().pk, "agency_id": Agency.objects.get(code="07901").pk, "kind": "om_dau",
              "received_on": datetime.date(2025, 9, 1), "days_off": 5, **DECIDED}
    try:
        old_apps = migrate(BEFORE)
        stored = old_apps.get_model("benefits", "BenefitRecord").objects.create(
            reference="T-TYPO", amount=MAX_AMOUNT * 10, monthly_amount=MAX_MONTHLY_AMOUNT * 10, **values)
        Record = migrate().get_model("benefits", "BenefitRecord")
        kept = Record.objects.get(pk=stored.pk)
        assert (kept.amount, kept.monthly_amount) == (MAX_AMOUNT * 10, MAX_MONTHLY_AMOUNT * 10)
        with pytest.raises(IntegrityError), transaction.atomic():
            Record.objects.create(reference="T-NEW", amount=MAX_AMOUNT + 1, **values)
        with pytest.raises(IntegrityError), transaction.atomic():
            Record.objects.create(reference="T-NEW", monthly_amount=MAX_MONTHLY_AMOUNT + 1, **values)
        # Undone with the record still above the cap (SQLite copies the table under the other cap).
        Before = migrate(BEFORE).get_model("benefits", "BenefitRecord")
        assert Before.objects.get(pk=stored.pk).amount == MAX_AMOUNT * 10
        # Within the cap, the record stored above it is put right.
        Before.objects.filter(pk=kept.pk).update(amount=MAX_AMOUNT, monthly_amount=MAX_MONTHLY_AMOUNT)
    finally:
        back_to_latest(BenefitRecord)  # for the tests after this one, whatever happened above
