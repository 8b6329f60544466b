"""The migration capping a period's contribution base (participation 0009_base_at_most): a period
already stored above the cap does not stop the deploy of a database that has not run it yet and is
kept as it is, while every base written from then on is held to the cap by the database.

It moves the schema of the test database back and forward, so it commits (transaction=True) and
puts every migration back on the way out, passing or failing (as test_visit_cost_caps_migration does)."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from lookup.models import Agency, Province
from participation.models import MAX_BASE, Period
from tests.accounts.helpers import make_person
from tests.db_migrations import back_to_latest, migrate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

BEFORE = [("participation", "0008_unpaid_months_help_text")]
ABOVE = MAX_BASE * 10



def test_a_base_stored_above_the_cap_does_not_stop_the_migration_and_a_new_one_is_refused():
    values = {"person_id": make_person().pk, "kind": "bhxh_tn", "payer": "self", "rate": Decimal(22),
              "province_id": Province.objects.get(code="79").pk, "agency_id": Agency.objects.get(code="07901").pk}
    try:
        old_apps = migrate(BEFORE)
        stored = old_apps.get_model("participation", "Period").objects.create(
            from_month=datetime.date(2024, 1, 1), to_month=datetime.date(2024, 12, 1), base=ABOVE,
            amount=ABOVE * 22 // 100, import_key="7901234567|bhxh_tn|2024-01|self", **values)
        NewPeriod = migrate().get_model("participation", "Period")
        assert NewPeriod.objects.get(pk=stored.pk).base == ABOVE
        with pytest.raises(IntegrityError), transaction.atomic():
            NewPeriod.objects.create(from_month=datetime.date(2025, 1, 1), to_month=datetime.date(2025, 12, 1),
                                     base=MAX_BASE + 1, amount=(MAX_BASE + 1) * 22 // 100,
                                     import_key="7901234567|bhxh_tn|2025-01|self", **values)
        # Within the cap, the period stored above it is put right.
        NewPeriod.objects.filter(pk=stored.pk).update(base=MAX_BASE, amount=MAX_BASE * 22 // 100)
    finally:
        back_to_latest(Period)  # for the tests after this one, whatever happened above
