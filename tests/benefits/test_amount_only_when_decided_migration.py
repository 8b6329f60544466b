"""The migrations holding an amount to a decided claim and a payment date to a paid one (benefits
0008, which clears, and 0009, which adds the rules): what a record stored before it carries against them,
which the portal already ignored, is cleared (a payment date on a record not paid, an amount on a
claim not decided), so a later save of the record is not refused for it; a record the update cannot
clear (an amount above 0007's caps) does not stop the deploy and is kept as it is; every record
written from then on is held to the rules by the database.

It moves the schema of the test database back and forward, so it commits (transaction=True) and
puts every migration back on the way out, passing or failing (as test_amount_at_most_migration does)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from benefits.models import MAX_AMOUNT, BenefitRecord
from lookup.models import Agency
from tests.accounts.helpers import make_person
from tests.db_migrations import back_to_latest, migrate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

BEFORE = [("benefits", "0007_amount_at_most")]
BEFORE_CAPS = [("benefits", "0006_search_indexes")]
DECIDED = {"decision_number": "123/QĐ-BHXH", "decision_date": datetime.date(2025, 9, 10), "amount": 5_217_200,
           "payment_method": "bank"}
PAID_ON = datetime.date(2025, 9, 20)


def test_what_the_rules_refuse_on_records_stored_before_them_is_cleared_and_new_ones_are_refused():
    values = {"person_id": make_person().pk, "agency_id": Agency.objects.get(code="07901").pk, "kind": "om_dau",
              "received_on": datetime.date(2025, 9, 1), "days_off": 5}
    try:
        # Stored above the caps before 0007: an update of the row is then refused, so its payment date
        # stays for an officer to correct.
        typo = migrate(BEFORE_CAPS).get_model("benefits", "BenefitRecord").objects.create(
            reference="T-TYPO", status="approved", paid_on=PAID_ON, **{**DECIDED, "amount": MAX_AMOUNT * 10}, **values)
        old = migrate(BEFORE).get_model("benefits", "BenefitRecord").objects
        received = old.create(reference="T-RECEIVED", status="received", amount=1, paid_on=PAID_ON, **values)
        examined = old.create(reference="T-AMOUNT", status="processing", amount=5_217_200, monthly_amount=1_250_000,
                              **values)
        refused = old.create(reference="T-REFUSED", status="rejected", reject_reason="Thiếu sổ BHXH",
                             monthly_amount=1_250_000, **values)
        approved = old.create(reference="T-AHEAD", status="approved", paid_on=PAID_ON, **DECIDED, **values)
        paid = old.create(reference="T-PAID-OLD", status="paid", paid_on=PAID_ON, **DECIDED, **values)
        Record = migrate().get_model("benefits", "BenefitRecord")
        after = {record.pk: (record.amount, record.monthly_amount, record.paid_on) for record in Record.objects.all()}
        assert after[received.pk] == after[examined.pk] == after[refused.pk] == (None, None, None)
        assert after[approved.pk] == (5_217_200, None, None)
        assert after[paid.pk] == (5_217_200, None, PAID_ON)
        assert after[typo.pk] == (MAX_AMOUNT * 10, None, PAID_ON)
        for fields in ({"status": "received", "amount": 1}, {"status": "rejected", "reject_reason": "Thiếu sổ BHXH",
                                                             "monthly_amount": 1},
                       {"status": "approved", **DECIDED, "paid_on": PAID_ON}):
            with pytest.raises(IntegrityError), transaction.atomic():
                Record.objects.create(reference="T-NEW", **fields, **values)
        Record.objects.create(reference="T-PAID", status="paid", paid_on=PAID_ON, **DECIDED, **values)
        # Undone with a record still against the rules (SQLite copies the table under the others); what was
        # cleared stays cleared.
        Before = migrate(BEFORE).get_model("benefits", "BenefitRecord")
        assert Before.objects.get(pk=typo.pk).paid_on == PAID_ON
        assert Before.objects.get(pk=examined.pk).amount is None
        # Put right, as saving it now asks for.
        Before.objects.filter(pk=typo.pk).update(amount=5_217_200, paid_on=None)
    finally:
        back_to_latest(BenefitRecord)  # for the tests after this one, whatever happened above
