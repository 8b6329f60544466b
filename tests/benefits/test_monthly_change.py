"""A decision on where or how a person's monthly benefits are paid (a completed public-service
filing) reaches each of their monthly benefits — a pension, a monthly labour-accident allowance —
and nothing else, with its audit row but no notice of its own (the filing's completion tells of it); a
decision that changes nothing writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Person
from benefits.models import BenefitEvent, BenefitRecord
from benefits.selectors import kinds_to_collect, monthly_benefits_of
from benefits.services import monthly_benefits_change
from lookup.models import Agency
from notifications.models import Message

from .helpers import citizen, decided, record, stored_before

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
    # the filing completed tells of the decision: the records it reaches send nothing of their own
    assert not Message.objects.exists()


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


def test_a_record_stored_before_a_rule_it_breaks_is_named_with_the_field_at_fault_and_nothing_is_saved(person):
    """A payment date typed on a pension decided, not paid, before the rule that only a payment has one."""
    pension = record(person, Kind.PENSION, **decided(amount=None, monthly_amount=7_000_000))
    allowance = record(person, Kind.ACCIDENT, impairment_percent=35, **decided(amount=None, monthly_amount=780_000))
    with stored_before("benefit_paid_on_only_when_paid"):
        BenefitRecord.objects.filter(pk=pension.pk).update(paid_on=datetime.date(2025, 9, 20))
    with pytest.raises(ValidationError) as refused:
        monthly_benefits_change(person=person, actor=None, agency=Agency.objects.get(code="07902"),
                                because="theo hồ sơ HS2601ABCDEF")
    assert refused.value.messages == [
        f"Chưa thực hiện được vì hồ sơ hưởng chế độ số {pension.reference} (do BHXH Quận 1 quản lý) không cập nhật "
        "được: Ngày chi trả: Chỉ hồ sơ “Đã chi trả” mới có ngày chi trả: để trống ô này, hoặc chọn trạng thái “Đã "
        "chi trả” khi đã chi trả. Hồ sơ hưởng đó cần được BHXH Quận 1 sửa trước."]
    assert {(r.agency.code, r.revision) for r in BenefitRecord.objects.filter(pk__in=[pension.pk, allowance.pk])} \
        == {("07901", 0)}
    assert not BenefitEvent.objects.exists() and not Message.objects.exists()


def test_a_message_naming_its_field_is_not_prefixed_with_it(person):
    record(person, Kind.PENSION, **decided(amount=None, monthly_amount=7_000_000))
    # Stored before the person's birth date was corrected to a later day than the claim's receipt.
    Person.objects.filter(pk=person.pk).update(birth_date=datetime.date(2025, 9, 2))
    with pytest.raises(ValidationError, match=r"không cập nhật được: Ngày tiếp nhận hồ sơ không thể trước ngày sinh "
                                              r"của người hưởng \(02/09/2025\)\. Hồ sơ hưởng đó"):
        monthly_benefits_change(person=person, actor=None, payment_method="cash", because="theo hồ sơ X")
