"""Benefit records: the invariants the database holds, and the one save path that tells the person
once per real change (never for a no-op save) and writes the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import capfirst

from benefits.models import BenefitEvent, BenefitRecord
from benefits.services import benefit_save, benefit_set_status
from notifications.models import Message

from .helpers import DISTRICT, PROVINCE, benefits_officer, child_of, childs_dates, citizen, decided, record

pytestmark = pytest.mark.usefixtures("reference_data")
Kind, Status = BenefitRecord.Kind, BenefitRecord.Status


def stored_breaks(person, **fields):
    """Saving these fields straight to the database (no clean) breaks a constraint."""
    obj = record(person, save=False, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


@pytest.mark.parametrize("fields", [
    {"status": "rejected"},  # rejected ⇒ reason
    {"reject_reason": "Thiếu giấy tờ"},  # a reason only on a rejected record
    {"amount": -1},
    {"monthly_amount": -5},
    {"amount": 10**15},  # digits too many
    {"monthly_amount": 1_000_000_001},
    {"status": "approved", "amount": 1000, "payment_method": "bank"},  # decided ⇒ decision number and date
    {**decided(), "amount": None},  # decided ⇒ an amount
    {**decided(), "payment_method": ""},  # decided ⇒ a payment method
    {**decided(), "status": "paid"},  # paid ⇒ a payment date
    {"status": "processing", "amount": 1000},  # an amount only once decided
    {"monthly_amount": 1000},
    {"status": "rejected", "reject_reason": "Thiếu sổ BHXH", "amount": 1000},
    {**decided(), "paid_on": datetime.date(2025, 9, 20)},  # a payment date only once paid
    {"decision_date": datetime.date(2025, 8, 1)},  # before receipt
    {"expected_on": datetime.date(2025, 8, 1)},
    {"days_off": None},  # sickness ⇒ days off
    {"child_birth_date": datetime.date(2025, 1, 1)},  # a maternity detail on a sickness record
    {"kind": Kind.MATERNITY, "child_birth_date": None},  # maternity ⇒ child's birth date
    {"kind": Kind.ACCIDENT, "impairment_percent": None},  # accident ⇒ impairment
    {"kind": Kind.ACCIDENT, "impairment_percent": 2},
    {"kind": Kind.UNEMPLOYMENT, "days_off": None, **decided()},  # decided unemployment ⇒ months
    {"kind": Kind.UNEMPLOYMENT, "days_off": None, "allowance_months": 13},
    {"kind": "khac"},
])
def test_database_refuses_broken_records(db, fields):
    stored_breaks(citizen().person, **fields)


def test_model_validation_explains_what_to_fix(db):
    person = citizen().person
    obj = record(person, save=False, status="rejected", days_off=None, child_birth_date=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    messages = error.value.message_dict
    assert messages["reject_reason"] == ["Nhập lý do không giải quyết để báo cho người lao động."]
    assert messages["days_off"] == ["Nhập số ngày nghỉ cho hồ sơ Ốm đau."]
    assert "không có thông tin “ngày sinh của con”" in messages["child_birth_date"][0]


def test_each_kind_keeps_its_own_details(db):
    person = citizen().person
    maternity = record(person, Kind.MATERNITY)
    assert [name for _, _, name in maternity.details()] == ["child_birth_date", "days_off"]
    unemployment = record(person, Kind.UNEMPLOYMENT, **decided(amount=None, monthly_amount=4_500_000), allowance_months=6)
    assert unemployment.details() == [("số tháng hưởng trợ cấp", 6, "allowance_months")]


def notices(user, template=None):
    messages = Message.objects.filter(user=user)
    if template:
        messages = messages.filter(template=template)
    return list(messages.values_list("channel", flat=True).order_by("channel"))


def test_creating_a_record_tells_the_person_once_by_notice_and_sms(db, django_capture_on_commit_callbacks, sms_outbox):
    user = citizen()
    obj = record(user.person, save=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert benefit_save(record=obj) is True
    assert notices(user, "benefit_received") == ["inbox", "sms"]
    inbox = Message.objects.get(user=user, channel="inbox")
    assert inbox.subject == "Hồ sơ hưởng chế độ ốm đau đã được tiếp nhận"
    assert "BHXH Quận 1 đã tiếp nhận hồ sơ hưởng chế độ ốm đau số" in inbox.body and "ngày 01/09/2025" in inbox.body
    assert [sms["to"] for sms in sms_outbox()] == ["+84912345678"]
    assert obj.revision == 1 and BenefitEvent.objects.get(record=obj).revision == 1


def test_a_no_op_save_tells_nobody_and_writes_no_audit_row(db):
    user = citizen()
    obj = record(user.person, save=False)
    benefit_save(record=obj)
    before = Message.objects.count()
    again = BenefitRecord.objects.get(pk=obj.pk)
    assert benefit_save(record=again) is False
    again.reject_reason = "  "  # cleaned to "" – still nothing changed
    assert benefit_save(record=again) is False
    assert Message.objects.count() == before
    assert BenefitEvent.objects.filter(record=obj).count() == 1 and again.revision == 1


def test_every_real_change_tells_once_including_back_and_forth(db):
    user = citizen()
    obj = record(user.person, save=False)
    benefit_save(record=obj)
    assert benefit_set_status(record=obj, status=Status.PROCESSING) is True
    assert benefit_set_status(record=obj, status=Status.PROCESSING) is False  # no-op
    assert benefit_set_status(record=obj, status=Status.REJECTED, reason="Thiếu sổ BHXH") is True
    assert benefit_set_status(record=obj, status=Status.PROCESSING) is True  # back again: a new change
    obj.refresh_from_db()
    assert obj.reject_reason == "" and obj.revision == 4
    assert len(notices(user, "benefit_updated")) == 3 * 2  # three changes × (notice + SMS)
    rejected = Message.objects.get(user=user, channel="inbox", body__contains="lý do")
    assert "Trạng thái: Không giải quyết – lý do: Thiếu sổ BHXH." in rejected.body
    changes = list(BenefitEvent.objects.filter(record=obj).values_list("changes", flat=True))
    assert changes[1] == "trạng thái: Đã tiếp nhận → Đang giải quyết"
    assert changes[2].startswith("trạng thái: Đang giải quyết → Không giải quyết; lý do không giải quyết: (trống) → Thiếu")


def test_paying_records_the_date_and_needs_a_decision(db):
    user = citizen()
    obj = record(user.person, save=False)
    benefit_save(record=obj)
    with pytest.raises(ValidationError) as error:
        benefit_set_status(record=obj, status=Status.APPROVED)
    assert {"decision_number", "decision_date", "amount", "payment_method"} <= set(error.value.message_dict)
    obj = BenefitRecord.objects.get(pk=obj.pk)
    for name, value in decided().items():
        setattr(obj, name, value)
    benefit_save(record=obj)
    assert benefit_set_status(record=obj, status=Status.PAID, paid_on=datetime.date(2025, 9, 20))
    obj.refresh_from_db()
    assert obj.status == Status.PAID and obj.paid_on == datetime.date(2025, 9, 20)
    assert "đã chi trả ngày 20/09/2025" in Message.objects.filter(user=user, channel="inbox").first().body


UNDECIDED = [{"status": "received"}, {"status": "processing"}, {"status": "rejected", "reject_reason": "Thiếu sổ BHXH"}]
NOT_GRANTED = {
    "amount": "Chỉ hồ sơ “Đã giải quyết” hoặc “Đã chi trả” mới có số tiền được hưởng: để trống ô này, hoặc chọn một "
              "trong hai trạng thái đó khi đã có quyết định.",
    "monthly_amount": "Chỉ hồ sơ “Đã giải quyết” hoặc “Đã chi trả” mới có mức hưởng hằng tháng: để trống ô này, "
                      "hoặc chọn một trong hai trạng thái đó khi đã có quyết định.",
}
NOT_PAID = "Chỉ hồ sơ “Đã chi trả” mới có ngày chi trả: để trống ô này, hoặc chọn trạng thái “Đã chi trả” khi đã chi trả."


@pytest.mark.parametrize("field", ["amount", "monthly_amount"])
@pytest.mark.parametrize("stored", UNDECIDED)
def test_an_amount_on_a_claim_not_decided_is_refused_beside_its_field(db, stored, field):
    """Only a decision grants an amount: one typed on a claim received, examined or refused was saved,
    and told to the person in the notice of the change, as if granted."""
    user = citizen()
    obj = record(user.person, save=False, **stored, **{field: 5_217_200})
    with pytest.raises(ValidationError) as error:
        benefit_save(record=obj)
    assert error.value.message_dict == {field: [NOT_GRANTED[field]]}
    assert not BenefitRecord.objects.exists() and not Message.objects.exists()


@pytest.mark.parametrize("stored", [*UNDECIDED, decided()])
def test_a_payment_date_on_a_record_not_paid_is_refused_beside_its_field(db, stored):
    """Only a payment has a payment date: one typed ahead of it was saved on a record not paid."""
    user = citizen()
    obj = record(user.person, **stored)
    obj.paid_on = datetime.date(2025, 9, 20)
    with pytest.raises(ValidationError) as error:
        benefit_save(record=obj)
    assert error.value.message_dict == {"paid_on": [NOT_PAID]}
    obj.refresh_from_db()
    assert (obj.paid_on, obj.revision) == (None, 0)
    assert not BenefitEvent.objects.exists() and not Message.objects.exists()


def test_the_rules_on_amounts_and_payment_dates_are_written_in_english_too(db):
    from django.utils import translation

    obj = record(citizen().person, save=False, status="processing", amount=1, monthly_amount=1,
                 paid_on=datetime.date(2025, 9, 20))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert error.value.message_dict == {
        "amount": ["Only a record that is “Approved” or “Paid” has an amount: leave this box empty, or choose one of "
                   "those statuses once the decision is made."],
        "monthly_amount": ["Only a record that is “Approved” or “Paid” has a monthly amount: leave this box empty, or "
                           "choose one of those statuses once the decision is made."],
        "paid_on": ["Only a record that is “Paid” has a payment date: leave this box empty, or choose “Paid” once it "
                    "has been paid."],
    }


def test_a_claim_takes_its_steps_to_payment_with_its_amount_given_at_the_decision(db):
    """The steps of NEXT_STATUSES still move a record: examined, decided with its amount, then paid on a
    date given (or today without one); a refusal examined again."""
    user = citizen()
    obj = record(user.person)
    assert benefit_set_status(record=obj, status=Status.PROCESSING)
    for name, value in decided(monthly_amount=1_250_000).items():
        setattr(obj, name, value)
    assert benefit_save(record=obj)
    assert benefit_set_status(record=obj, status=Status.PAID, paid_on=datetime.date(2025, 9, 20))
    assert (obj.status, obj.amount, obj.monthly_amount, obj.paid_on) == (
        Status.PAID, 11_531_338, 1_250_000, datetime.date(2025, 9, 20))
    without_date = record(user.person, **decided())
    assert benefit_set_status(record=without_date, status=Status.PAID)
    assert without_date.paid_on is not None and without_date.paid_on >= datetime.date(2025, 9, 10)
    refused = record(user.person, status="rejected", reject_reason="Thiếu sổ BHXH")
    assert benefit_set_status(record=refused, status=Status.PROCESSING)
    assert (refused.status, refused.reject_reason, refused.amount) == (Status.PROCESSING, "", None)


def test_paying_on_a_date_after_today_is_refused_and_saves_nothing(db):
    """A payment is recorded on a day that has come: a date typed ahead is refused beside the payment
    date, and the record stays decided, unpaid."""
    from django.utils import timezone

    user = citizen()
    obj = record(user.person, **decided())
    ahead = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        benefit_set_status(record=obj, status=Status.PAID, paid_on=ahead)
    assert error.value.message_dict == {
        "paid_on": [f"Ngày chi trả không được sau ngày hôm nay ({timezone.localdate():%d/%m/%Y})."]}
    obj.refresh_from_db()
    assert (obj.status, obj.paid_on, obj.revision) == (Status.APPROVED, None, 0)
    assert not BenefitEvent.objects.exists() and not Message.objects.exists()


def test_a_parent_who_views_the_child_is_told_too(db):
    parent = citizen()
    child = child_of(parent)
    benefit_save(record=record(child, save=False, **childs_dates(child)))
    inbox = Message.objects.get(user=parent, channel="inbox")
    assert "của Nguyễn Gia Bảo" in inbox.subject


def test_officers_write_only_inside_their_scope(db):
    person = citizen().person
    district = benefits_officer("canbo07901", "07901", DISTRICT)
    province = benefits_officer("canbo079", "079", PROVINCE)
    with pytest.raises(PermissionDenied):
        benefit_save(record=record(person, agency="07903", save=False), actor=district)
    assert benefit_save(record=record(person, agency="07903", save=False), actor=province)
    with pytest.raises(PermissionDenied):
        benefit_save(record=record(person, agency="00101", save=False), actor=province)
    own = record(person, save=False)
    benefit_save(record=own, actor=district)
    own.agency_id = BenefitRecord._meta.get_field("agency").related_model.objects.get(code="07903").pk
    with pytest.raises(PermissionDenied):  # moving a record out of the officer's scope
        benefit_save(record=own, actor=district)
    assert BenefitEvent.objects.filter(actor=district).count() == 1


def test_an_officer_may_not_take_a_record_of_another_agency_into_their_scope(db):
    """The agency stored is checked as well as the one saved: a district officer who sets their own agency
    on another district's record would take it over, and may not."""
    person = citizen().person
    district = benefits_officer("canbo07901", "07901", DISTRICT)
    province = benefits_officer("canbo079", "079", PROVINCE)
    other = record(person, agency="07903", save=False)
    benefit_save(record=other, actor=province)
    taken = BenefitRecord.objects.get(pk=other.pk)
    taken.agency_id = BenefitRecord._meta.get_field("agency").related_model.objects.get(code="07901").pk
    with pytest.raises(PermissionDenied):
        benefit_save(record=taken, actor=district)
    assert BenefitRecord.objects.get(pk=other.pk).agency.code == "07903"
    assert not BenefitEvent.objects.filter(actor=district).exists()


def test_a_save_from_a_stale_page_is_refused_and_others_are_not_checked(db, django_capture_on_commit_callbacks):
    person = citizen().person
    obj = record(person, **decided(amount=5_217_200))
    seen = obj.revision
    benefit_save(record=BenefitRecord.objects.get(pk=obj.pk), seen_version=seen)  # nothing changed: still fresh
    newer = BenefitRecord.objects.get(pk=obj.pk)
    newer.amount = 6_000_000
    assert benefit_save(record=newer, seen_version=seen)

    obj.decision_number = "456/QĐ-BHXH"
    with pytest.raises(ValidationError) as error, django_capture_on_commit_callbacks(execute=True):
        benefit_save(record=obj, seen_version=seen)
    assert error.value.messages == [
        "Hồ sơ này vừa được người khác sửa sau khi bạn mở trang. Hãy tải lại trang để xem bản mới rồi sửa lại."]
    assert BenefitRecord.objects.get(pk=obj.pk).amount == 6_000_000
    assert BenefitEvent.objects.filter(record=obj).count() == 1

    # A caller that passes no version (an import, a bulk action) with a copy loaded since is not refused.
    fresh = BenefitRecord.objects.get(pk=obj.pk)
    fresh.decision_number = "456/QĐ-BHXH"
    assert benefit_save(record=fresh)


def loaded_before_another_save(user):
    """A decided record of `user`'s and a copy of it loaded before another copy saved a new amount."""
    obj = record(user.person, **decided(amount=5_217_200))
    loaded = BenefitRecord.objects.get(pk=obj.pk)
    newer = BenefitRecord.objects.get(pk=obj.pk)
    newer.amount = 6_000_000
    assert benefit_save(record=newer)
    return obj, loaded


def test_a_save_without_a_version_of_a_record_loaded_before_another_save_is_refused(
        db, django_capture_on_commit_callbacks):
    """A caller that passes no version (an import, a task) is checked against the revision its copy
    holds: a copy loaded before another save would write back the values it was loaded with over that
    save's (a lost update, and the person told their amount went down), so it is refused as a stale
    page is, and the other save's values and revision stay."""
    user = citizen()
    obj, loaded = loaded_before_another_save(user)

    loaded.decision_number = "456/QĐ-BHXH"
    with pytest.raises(ValidationError) as error, django_capture_on_commit_callbacks(execute=True):
        benefit_save(record=loaded)
    assert error.value.code == "stale"
    assert error.value.messages == [
        "Hồ sơ này vừa được người khác sửa sau khi bạn mở trang. Hãy tải lại trang để xem bản mới rồi sửa lại."]
    obj.refresh_from_db()
    assert (obj.amount, obj.decision_number, obj.revision) == (6_000_000, "123/QĐ-BHXH", 1)
    assert list(BenefitEvent.objects.filter(record=obj).values_list("revision", flat=True)) == [1]
    assert len(notices(user, "benefit_updated")) == 2  # the other save's notice and SMS only


def test_a_status_set_on_a_record_loaded_before_another_save_keeps_that_save(db):
    """The admin's bulk actions load the records ticked, then move them one by one: another officer
    may save one in between."""
    user = citizen()
    obj, loaded = loaded_before_another_save(user)

    assert benefit_set_status(record=loaded, status=Status.PAID, paid_on=datetime.date(2025, 9, 20))
    obj.refresh_from_db()
    assert (obj.status, obj.amount, obj.revision) == (Status.PAID, 6_000_000, 2)
    events = list(BenefitEvent.objects.filter(record=obj).order_by("revision").values_list("revision", "changes"))
    assert [revision for revision, _ in events] == [1, 2]
    assert events[1][1].startswith("trạng thái: Đã giải quyết → Đã chi trả;") and "số tiền" not in events[1][1]
    assert (loaded.status, loaded.amount, loaded.revision) == (Status.PAID, 6_000_000, 2)


def test_a_status_set_on_a_record_whose_status_another_officer_changed_since_is_refused(db):
    user = citizen()
    obj = record(user.person)
    loaded = BenefitRecord.objects.get(pk=obj.pk)  # "Đã tiếp nhận", ticked for "Đang giải quyết"
    rejected = BenefitRecord.objects.get(pk=obj.pk)
    assert benefit_set_status(record=rejected, status=Status.REJECTED, reason="Thiếu sổ BHXH")

    with pytest.raises(ValidationError) as error:
        benefit_set_status(record=loaded, status=Status.PROCESSING)
    assert error.value.messages == [
        "Hồ sơ này vừa được người khác chuyển sang “Không giải quyết”: giữ nguyên. Hãy tải lại danh sách để xem."]
    obj.refresh_from_db()
    assert (obj.status, obj.reject_reason, obj.revision) == (Status.REJECTED, "Thiếu sổ BHXH", 1)
    assert BenefitEvent.objects.filter(record=obj).count() == 1


def test_the_audit_trail_writes_amounts_as_money(db):
    """An officer reading a record's history reads "5.217.200 đ", as every amount in the portal is
    written, not the stored integer 5217200."""
    obj = record(citizen().person, **decided(amount=5_217_200))
    obj.amount, obj.monthly_amount = 6_000_000, 1_250_000
    assert benefit_save(record=obj) is True
    changes = BenefitEvent.objects.get(record=obj).changes
    assert "số tiền được hưởng (đ): 5.217.200 đ → 6.000.000 đ" in changes
    assert "mức hưởng hằng tháng (đ): (trống) → 1.250.000 đ" in changes


@pytest.mark.parametrize("status", ["received", "processing", "rejected"])
def test_only_a_decided_record_is_paid(db, status):
    """A payment follows a decision to pay: a record refused, or not decided yet, is left as it is,
    even with a decision number and a payment method typed in."""
    user = citizen()
    obj = record(user.person, **decided(status=status, amount=None,
                                        reject_reason="Thiếu sổ BHXH" if status == "rejected" else ""))
    with pytest.raises(ValidationError) as error:
        benefit_set_status(record=obj, status=Status.PAID)
    shown = Status(status).label
    assert error.value.messages == [
        f"Hồ sơ đang ở trạng thái “{shown}” nên không chuyển sang “Đã chi trả” được; chỉ hồ sơ “Đã giải quyết” "
        "mới chuyển được: giữ nguyên."]
    obj.refresh_from_db()
    assert (obj.status, obj.paid_on, obj.revision) == (status, None, 0)
    assert not BenefitEvent.objects.exists() and not Message.objects.exists()


def test_a_paid_record_moves_no_further_and_a_refused_one_is_examined_again(db):
    user = citizen()
    paid = record(user.person, **decided(status="paid", paid_on=datetime.date(2025, 9, 20)))
    with pytest.raises(ValidationError):
        benefit_set_status(record=paid, status=Status.PROCESSING)
    refused = record(user.person, status="rejected", reject_reason="Thiếu sổ BHXH")
    assert benefit_set_status(record=refused, status=Status.PROCESSING)


PAID_ON = datetime.date(2025, 9, 20)
REFUSED = {"status": "rejected", "reject_reason": "Thiếu sổ BHXH"}


@pytest.mark.parametrize("stored, status, told", [
    (REFUSED, "paid", "hãy giữ nguyên trạng thái này hoặc chọn “Đang giải quyết”."),
    (REFUSED, "approved", "hãy giữ nguyên trạng thái này hoặc chọn “Đang giải quyết”."),
    (decided(status="paid", paid_on=PAID_ON), "approved", "hãy giữ nguyên trạng thái này."),
    (decided(status="paid", paid_on=PAID_ON), "processing", "hãy giữ nguyên trạng thái này."),
    (decided(status="paid", paid_on=PAID_ON), "received", "hãy giữ nguyên trạng thái này."),
    (decided(), "processing", "hãy giữ nguyên trạng thái này hoặc chọn “Đã chi trả”."),
    (decided(), "rejected", "hãy giữ nguyên trạng thái này hoặc chọn “Đã chi trả”."),
    ({"status": "processing"}, "received",
     "hãy giữ nguyên trạng thái này hoặc chọn “Đã giải quyết”, “Đã chi trả” hoặc “Không giải quyết”."),
])
def test_a_save_moves_a_record_only_to_a_status_its_steps_reach(db, stored, status, told):
    """The edit page saves every field, the status too: a refused record is not paid (nor decided)
    without being examined again, and a paid one, or a decided one, is not moved back."""
    user = citizen()
    obj = record(user.person, **stored)
    before = obj.status
    edited = BenefitRecord.objects.get(pk=obj.pk)
    for name, value in {**decided(), "status": status, "paid_on": PAID_ON, "reject_reason": ""}.items():
        setattr(edited, name, value)
    if status == "rejected":
        edited.reject_reason = "Thiếu sổ BHXH"
    if status in ("received", "processing"):
        edited.paid_on = None
    with pytest.raises(ValidationError) as error:
        benefit_save(record=edited)
    assert error.value.message_dict == {"status": [
        f"Hồ sơ đang ở trạng thái “{Status(before).label}” nên không chuyển sang “{Status(status).label}” được: "
        f"{told}"]}
    obj.refresh_from_db()
    assert (obj.status, obj.revision) == (before, 0)
    assert not BenefitEvent.objects.exists() and not Message.objects.exists()


@pytest.mark.parametrize("stored, status", [
    ({}, "paid"),  # received, decided and paid: a record entered late, in one save
    ({}, "approved"),
    ({"status": "processing"}, "paid"),
    ({"status": "processing"}, "rejected"),
    (REFUSED, "processing"),  # a refusal examined again
    (decided(), "paid"),
])
def test_a_save_takes_the_steps_a_claim_takes_several_at_once(db, stored, status):
    user = citizen()
    obj = record(user.person, **stored)
    edited = BenefitRecord.objects.get(pk=obj.pk)
    edited.status, edited.reject_reason = status, "Thiếu sổ BHXH" if status == "rejected" else ""
    if status in ("approved", "paid"):
        for name, value in decided(status=status).items():
            setattr(edited, name, value)
        edited.paid_on = PAID_ON if status == "paid" else None
    assert benefit_save(record=edited)
    obj.refresh_from_db()
    assert (obj.status, obj.revision) == (status, 1)


def test_a_save_is_checked_against_the_status_stored_when_it_is_saved(db):
    """Another officer refused the claim after this record was read: paying it now is refused, whatever
    the record read said."""
    user = citizen()
    obj = record(user.person, status="processing")
    read = BenefitRecord.objects.get(pk=obj.pk)
    refused = BenefitRecord.objects.get(pk=obj.pk)
    refused.status, refused.reject_reason = "rejected", "Thiếu sổ BHXH"
    assert benefit_save(record=refused)

    for name, value in decided(status="paid", paid_on=PAID_ON, revision=refused.revision).items():
        setattr(read, name, value)
    with pytest.raises(ValidationError) as error:
        benefit_save(record=read)
    assert error.value.message_dict["status"][0].startswith(
        "Hồ sơ đang ở trạng thái “Không giải quyết” nên không chuyển sang “Đã chi trả” được")
    obj.refresh_from_db()
    assert (obj.status, obj.paid_on, obj.revision) == ("rejected", None, 1)


def test_a_records_errors_are_one_sentence_in_the_admins_language(db):
    """An officer whose admin speaks English read "Decision date không được sau ngày hôm nay (…)": the
    field's English name inside a Vietnamese sentence, and the errors naming no field (a decision, an
    amount, a refusal's reason or a payment date missing, a negative amount, one with digits too many)
    in Vietnamese alone. Each error is a sentence of the catalogue, around the field's name where it
    names one, in Vietnamese or in English, its dates dd/mm/yyyy and its amounts as the page writes
    money."""
    from django.utils import timezone, translation

    user = citizen()  # born on 15/03/1988
    today = timezone.localdate()
    records = {
        "sickness": record(user.person, save=False, days_off=None, impairment_percent=21,
                           start_date=datetime.date(1980, 1, 1), expected_on=datetime.date(2025, 8, 2),
                           **decided(status="paid", decision_date=today + datetime.timedelta(days=1))),
        "unemployment": record(user.person, BenefitRecord.Kind.UNEMPLOYMENT, save=False, **decided()),
        "refused": record(user.person, save=False, status="rejected", reject_reason=" "),
        "examined": record(user.person, save=False, status="processing", reject_reason="Thiếu sổ BHXH"),
        "paid": record(user.person, save=False, status="paid", payment_method=""),
        "amounts": record(user.person, BenefitRecord.Kind.PENSION, save=False,
                          **decided(amount=-1, monthly_amount=1_000_000_001)),
    }
    wanted = {
        "vi": {
            ("sickness", "days_off"): "Nhập số ngày nghỉ cho hồ sơ Ốm đau.",
            ("sickness", "impairment_percent"):
                "Chế độ Ốm đau không có thông tin “tỷ lệ suy giảm khả năng lao động (%)”: để trống ô này.",
            ("sickness", "decision_date"): f"Ngày quyết định không được sau ngày hôm nay ({today:%d/%m/%Y}).",
            ("sickness", "start_date"): "Hưởng từ ngày không thể trước ngày sinh của người hưởng (15/03/1988).",
            ("sickness", "expected_on"): "Ngày hẹn trả kết quả không thể trước ngày tiếp nhận hồ sơ.",
            ("unemployment", "allowance_months"): "Nhập số tháng hưởng trợ cấp khi hồ sơ đã có quyết định.",
            ("refused", "reject_reason"): "Nhập lý do không giải quyết để báo cho người lao động.",
            ("examined", "reject_reason"): "Chỉ ghi lý do khi hồ sơ không được giải quyết: xóa lý do hoặc chọn "
                                           "trạng thái “Không giải quyết”.",
            ("paid", "decision_number"): "Nhập số quyết định khi hồ sơ đã được giải quyết.",
            ("paid", "decision_date"): "Nhập ngày quyết định khi hồ sơ đã được giải quyết.",
            ("paid", "amount"): "Nhập số tiền được hưởng hoặc mức hưởng hằng tháng.",
            ("paid", "payment_method"): "Chọn hình thức nhận tiền khi hồ sơ đã được giải quyết.",
            ("paid", "paid_on"): "Nhập ngày chi trả khi hồ sơ đã chi trả.",
            ("amounts", "amount"): "Số tiền không được âm.",
            ("amounts", "monthly_amount"): "Mức hưởng hằng tháng không được lớn hơn 1.000.000.000 đ: kiểm tra lại "
                                           "số chữ số đã nhập.",
        },
        "en": {
            ("sickness", "days_off"): "Enter the days off of a “Sickness” record.",
            ("sickness", "impairment_percent"):
                "A “Sickness” record has no “reduction in working capacity (%)”: leave this box empty.",
            ("sickness", "decision_date"): f"Decision date cannot be after today ({today:%d/%m/%Y}).",
            ("sickness", "start_date"):
                "Benefit starts on cannot be before the beneficiary's date of birth (15/03/1988).",
            ("sickness", "expected_on"):
                "Result expected on cannot be before the date the application was received.",
            ("unemployment", "allowance_months"): "Enter the months of benefit once the record has a decision.",
            ("refused", "reject_reason"): "Enter the reason for the refusal, which the worker is told.",
            ("examined", "reject_reason"): "Give a reason only when the claim is refused: delete the reason or "
                                           "choose the status “Rejected”.",
            ("paid", "decision_number"): "Enter the decision number once the claim is approved.",
            ("paid", "decision_date"): "Enter the decision date once the claim is approved.",
            ("paid", "amount"): "Enter the amount granted or the monthly amount.",
            ("paid", "payment_method"): "Choose the payment method once the claim is approved.",
            ("paid", "paid_on"): "Enter the payment date once the record is paid.",
            ("amounts", "amount"): "The amount cannot be negative.",
            ("amounts", "monthly_amount"): "Monthly benefit cannot be more than 1,000,000,000 VND: check the digits "
                                           "typed.",
        },
    }
    for language, messages in wanted.items():
        with translation.override(language):
            errors = {}
            for name, obj in records.items():
                with pytest.raises(ValidationError) as error:
                    obj.full_clean()
                errors.update({(name, field): said for field, said in error.value.message_dict.items()})
            assert {key: errors.get(key) for key in messages} == {key: [message] for key, message in messages.items()}


def test_a_status_an_english_admin_may_not_give_is_refused_in_english(db, settings):
    """The service's refusals of a status were Vietnamese sentences around English status names."""
    settings.LANGUAGE_CODE = "en"
    user = citizen()
    obj = record(user.person, status="processing")
    with pytest.raises(ValidationError) as error:
        benefit_set_status(record=obj, status=Status.PAID)
    assert error.value.messages == ["The record is “Being processed”, so it cannot be moved to “Paid”; only a record "
                                    "that is “Approved” can be: left as it was."]
    received = record(user.person, reference="BH-2")
    edited = BenefitRecord.objects.get(pk=received.pk)
    received.status, received.reject_reason = Status.PROCESSING, ""
    received.save(update_fields=["status", "reject_reason"])
    with pytest.raises(ValidationError) as error:
        benefit_save(record=edited)  # back to "received" from "processing"
    assert error.value.message_dict == {"status": [
        "The record is “Being processed”, so it cannot be moved to “Received”: keep this status or choose "
        "“Approved”, “Paid” or “Rejected”."]}


def test_a_status_a_vietnamese_admin_may_not_give_is_refused_as_before(db):
    user = citizen()
    received = record(user.person)
    edited = BenefitRecord.objects.get(pk=received.pk)
    received.status = Status.PROCESSING
    received.save(update_fields=["status"])
    with pytest.raises(ValidationError) as error:
        benefit_save(record=edited)
    assert error.value.message_dict == {"status": [
        "Hồ sơ đang ở trạng thái “Đang giải quyết” nên không chuyển sang “Đã tiếp nhận” được: hãy giữ nguyên trạng "
        "thái này hoặc chọn “Đã giải quyết”, “Đã chi trả” hoặc “Không giải quyết”."]}


@pytest.mark.parametrize("field", ["decision_date", "expected_on", "paid_on"])
def test_a_date_the_day_before_the_receipt_is_refused_on_its_field_and_the_receipt_day_is_not(db, field):
    """A claim is decided, promised and paid from the day it is received on: the day before is refused
    with a message on that field, saying why, and the day of the receipt itself is taken."""
    user = citizen()
    received = datetime.date(2025, 9, 1)
    paid = decided(status="paid", decision_date=received, paid_on=received, expected_on=received)
    obj = record(user.person, save=False, received_on=received, **{**paid, field: received - datetime.timedelta(days=1)})
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    label = capfirst(BenefitRecord._meta.get_field(field).verbose_name)
    assert error.value.message_dict[field] == [f"{label} không thể trước ngày tiếp nhận hồ sơ."]
    record(user.person, received_on=received, **paid)  # on the day of the receipt: valid
