"""A decision on where or how a person's monthly benefits are paid (a completed public-service
filing) reaches each of their monthly benefits — a pension, a monthly labour-accident allowance —
and nothing else, with its audit row and notice; a decision that changes nothing writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from benefits.models import BenefitEvent, BenefitRecord
from benefits.selectors import kinds_to_collect, monthly_benefits_of
from benefits.services import monthly_benefits_change
from lookup.models import Agency
from notifications.models import Message

from .helpers import citizen, decided, record

pytestmark = pytest.mark.django_db
Kind = BenefitRecord.Kind


@pytest.fixture
def person(reference_data):
    return citizen().person


def test_only_the_monthly_benefits_granted_are_changed(person):
    pension = record(person, Kind.PENSION, **decided(amount=None, monthly_amount=7_000_000))
    allowance = record(person, Kind.ACCIDENT, impairment_percent=35, **decided(amount=None, monthly_amount=780_000))
    lump_sum = record(person, Kind.ACCIDENT, **decided())  # 21 %: paid once
    unemployment = record(person, Kind.UNEMPLOYMENT, allowance_months=6, **decided(amount=None, monthly_amount=4_500_000))
    claimed = record(person, Kind.PENSION, status="processing")
    assert set(monthly_benefits_of(person=person)) == {pension, allowance}
    other = Agency.objects.get(code="07902")
    assert monthly_benefits_change(person=person, actor=None, agency=other, payment_method="cash",
                                   because="theo hồ sơ HS2601ABCDEF") == 2
    for kept in (lump_sum, unemployment, claimed):
        assert BenefitRecord.objects.get(pk=kept.pk).agency.code == "07901"
    for changed in (pension, allowance):
        changed.refresh_from_db()
        assert (changed.agency, changed.payment_method, changed.revision) == (other, "cash", 1)
        assert BenefitEvent.objects.get(record=changed).changes.endswith("(theo hồ sơ HS2601ABCDEF)")
    assert Message.objects.filter(template="benefit_updated", channel=Message.Channel.INBOX).count() == 2


def test_a_decision_that_changes_nothing_writes_nothing(person):
    pension = record(person, Kind.PENSION, **decided(amount=None, monthly_amount=7_000_000, payment_method="cash"))
    assert monthly_benefits_change(person=person, actor=None, payment_method="cash", because="theo hồ sơ X") == 0
    assert not BenefitEvent.objects.filter(record=pension).exists() and not Message.objects.exists()
    stored = BenefitRecord.objects.get(pk=pension.pk)
    assert (stored.revision, stored.updated_at) == (pension.revision, pension.updated_at)  # the row not saved again


def test_without_a_monthly_benefit_the_decision_is_refused(person):
    record(person, Kind.PENSION, status="processing")
    with pytest.raises(ValidationError, match="không có khoản lương hưu, trợ cấp BHXH hằng tháng nào"):
        monthly_benefits_change(person=person, actor=None, payment_method="bank", because="theo hồ sơ X")


def test_what_is_still_to_receive(person):
    assert kinds_to_collect(person=person) == set()
    record(person, Kind.SICKNESS, **decided(status="paid", paid_on=record(person, save=False).received_on))
    record(person, Kind.ONE_TIME, status="rejected", reject_reason="Chưa đủ 12 tháng.")
    assert kinds_to_collect(person=person) == set()
    record(person, Kind.MATERNITY, **decided())
    record(person, Kind.PENSION, **decided(status="paid", paid_on=record(person, save=False).received_on,
                                           amount=None, monthly_amount=7_000_000))
    assert kinds_to_collect(person=person) == {Kind.MATERNITY, Kind.PENSION}
