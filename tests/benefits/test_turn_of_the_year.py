"""A benefit's days are Vietnam's: at 00:30 on 01/01, when the UTC date is still 31/12, a claim promised
for 31/12 is overdue, a payment recorded without a date is dated 01/01, and the estimate's year, whose
salaries are not adjusted, is the new one."""

import datetime
import re

import pytest
from django.test import Client

from benefits.models import BenefitRecord
from benefits.selectors import coefficients
from benefits.services import benefit_set_status
from tests.clock import NEW_YEAR, YEAR_END, at

from .helpers import citizen, decided, record

pytestmark = pytest.mark.usefixtures("reference_data")

Kind, Status = BenefitRecord.Kind, BenefitRecord.Status
OVERDUE = "đã quá hẹn"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def user(db):
    return citizen()


def test_a_claim_promised_for_31_12_is_overdue_from_00_30_on_01_01(user):
    claim = record(user.person, Kind.ONE_TIME, reference="BH-1", status=Status.PROCESSING,
                   received_on=datetime.date(2026, 9, 1), expected_on=YEAR_END.date())
    pages = {}
    for instant in (YEAR_END, NEW_YEAR):
        with at(instant):
            client = Client()
            client.force_login(user)
            pages[instant] = (claim.is_overdue, text(client.get("/thong-tin-huong/")))
    assert pages[YEAR_END][0] is False and OVERDUE not in pages[YEAR_END][1]
    assert pages[NEW_YEAR][0] is True and f"31/12/2026 <strong class=\"overdue\">({OVERDUE})</strong>" in pages[NEW_YEAR][1]


def test_a_payment_recorded_at_00_30_on_01_01_is_dated_that_day(user):
    approved = record(user.person, Kind.ONE_TIME, reference="BH-1",
                      **decided(received_on=datetime.date(2026, 9, 1), expected_on=datetime.date(2026, 9, 15),
                                decision_date=datetime.date(2026, 9, 10)))
    with at(NEW_YEAR):
        benefit_set_status(record=approved, status=Status.PAID)
    assert BenefitRecord.objects.get(pk=approved.pk).paid_on == NEW_YEAR.date()


def test_the_estimate_is_of_the_new_year_from_00_30_on_01_01(db):
    with at(YEAR_END):
        assert coefficients().current_year == YEAR_END.year
    with at(NEW_YEAR):
        assert coefficients().current_year == NEW_YEAR.year
