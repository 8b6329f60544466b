"""How far ahead a period may end: compulsory BHXH (unless paid by the person), BHTN and BHTNLĐ-BNN
(and an employer's BHYT) are declared month by month and end by the current month; voluntary BHXH is paid at most 60 months ahead;
a household's BHYT at most 12. Each refusal names the latest month allowed."""

import pytest
from django.core.exceptions import ValidationError

from participation.models import Period
from participation.services.imports import periods_import
from tests.accounts.helpers import make_person

from .helpers import months_from_now, period
from .test_import import csv_lines

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def insured(db, reference_data):
    return make_person("7901666666", "Lê Thị Mai", id_number="079190012345", sex=2)


CASES = [  # kind, payer, months ahead allowed
    (Period.Kind.BHXH_COMPULSORY, None, 0),
    (Period.Kind.BHTN, None, 0),
    (Period.Kind.BHTNLD, None, 0),
    (Period.Kind.BHYT, None, 0),
    (Period.Kind.BHXH_VOLUNTARY, Period.Payer.SELF, 60),
    (Period.Kind.BHYT, Period.Payer.HOUSEHOLD, 12),
]


@pytest.mark.parametrize("kind, payer, ahead", CASES)
def test_a_period_ends_no_later_than_its_type_and_payer_allow(insured, kind, payer, ahead):
    latest = period(insured, months_from_now(-2), months_from_now(ahead), kind=kind, payer=payer, save=False)
    latest.full_clean(exclude=["import_key"])
    beyond = period(insured, months_from_now(-2), months_from_now(ahead + 1), kind=kind, payer=payer, save=False)
    with pytest.raises(ValidationError) as refused:
        beyond.full_clean(exclude=["import_key"])
    assert refused.value.message_dict["to_month"][0].startswith(
        f"Tháng kết thúc không được sau {months_from_now(ahead)}")


def test_the_state_budgets_bhyt_is_not_bounded_here(insured):
    """A child's BHYT paid by the state runs to the 72nd month (health_card's TE card rule)."""
    period(insured, months_from_now(-2), months_from_now(70), kind=Period.Kind.BHYT, payer=Period.Payer.STATE,
           save=False).full_clean(exclude=["import_key"])


def test_compulsory_bhxh_paid_by_the_person_may_be_paid_ahead(insured):
    """A worker abroad under contract pays compulsory BHXH for 3, 6 or 12 months at once or for the
    whole contract term ahead (the Law on Social Insurance): no month is the latest known."""
    period(insured, months_from_now(-2), months_from_now(36), kind=Period.Kind.BHXH_COMPULSORY,
           payer=Period.Payer.SELF, save=False).full_clean(exclude=["import_key"])


def test_the_import_refuses_a_row_ending_in_9999(person):
    report = periods_import(lines=csv_lines(
        "7901234567,bhxh_bb,01/2015,01/9999,employer,{E},Kỹ sư,12000000,25,3000000,0,79,07901,"), dry_run=True)
    assert report.error_count == 1
    assert f"Tháng kết thúc không được sau {months_from_now(0)}" in report.errors[0][1]
