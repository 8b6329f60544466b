"""The migration holding an amount to a decided claim and a payment date to a paid one (benefits
..._amount_and_payment_date_only_when_granted): a record stored before it that breaks them does
not stop the deploy of a database that has not run it yet and is kept as it is, while every record
written from then on is held to them by the database.

It moves the schema of the test database back and forward, so it commits (transaction=True) and
puts every migration back on the way out, passing or failing (as test_amount_at_most_migration does)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from benefits.models import BenefitRecord
from lookup.models import Agency
from tests.accounts.helpers import make_person
from tests.db_migrations import back_to_latest, migrate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

BEFORE = [("benefits", "0007_amount_at_most")]
DECIDED = {"decision_number": "123/QĐ-BHXH", "decision_date": datetime.date(2025, 9, 10), "amount": 5_217_200,
           "payment_method": "bank"}


def test_records_stored_against_the_rules_do_not_stop_the_migration_and_new_ones_are_refused():
    values = {"person_id": make_person().pk, "agency_id": Agency.objects.get(code="07901").pk, "kind": "om_dau",
              "received_on": datetime.date(2025, 9, 1), "days_off": 5}
    try:
        old = migrate(BEFORE).get_model("benefits", "BenefitRecord").objects
        examined = old.create(reference="T-AMOUNT", status="processing", amount=5_217_200, monthly_amount=1_250_000,
                              **values)
        approved = old.create(reference="T-AHEAD", status="approved", paid_on=datetime.date(2025, 9, 20),
                              **DECIDED, **values)
        Record = migrate().get_model("benefits", "BenefitRecord")
        assert Record.objects.get(pk=examined.pk).amount == 5_217_200
        assert Record.objects.get(pk=approved.pk).paid_on == datetime.date(2025, 9, 20)
        for fields in ({"status": "received", "amount": 1}, {"status": "rejected", "reject_reason": "Thiếu sổ BHXH",
                                                             "monthly_amount": 1},
                       {"status": "approved", **DECIDED, "paid_on": datetime.date(2025, 9, 20)}):
            with pytest.raises(IntegrityError), transaction.atomic():
                Record.objects.create(reference="T-NEW", **fields, **values)
        Record.objects.create(reference="T-PAID", status="paid", paid_on=datetime.date(2025, 9, 20), **DECIDED,
                              **values)
        # Undone with the records still against the rules (SQLite copies the table under the others).
        Before = migrate(BEFORE).get_model("benefits", "BenefitRecord")
        assert Before.objects.get(pk=examined.pk).monthly_amount == 1_250_000
        # Put right, as saving them now asks for.
        Before.objects.filter(pk=examined.pk).update(amount=None, monthly_amount=None)
        Before.objects.filter(pk=approved.pk).update(paid_on=None)
    finally:
        back_to_latest(BenefitRecord)  # for the tests after this one, whatever happened above
