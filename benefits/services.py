"""Writes to benefit records: one save path for the admin (and anything else that writes one).

A save that really changes a record bumps its revision, writes an audit row (who, when, what)
and tells the person (in-portal notice + SMS) once for that change; a save that changes nothing
writes nothing and tells nobody. An officer may only write records of their agency's scope; a
completed public-service filing (moving the paying place, changing the payment method) writes
the person's monthly benefits on that filing's authority, and the filing's completion tells of
it: those records send nothing of their own.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext

from accounts.selectors import own_record_refusal
from accounts.services.notices import person_notify
from lookup.selectors import officer_agency_ids
from vssid_portal.audit import field_change, field_label
from vssid_portal.concurrent_edits import STALE_EDIT, check_unchanged_since_seen

from .models import REACHED_IN_ONE_SAVE, BenefitEvent, BenefitRecord, Status, statuses_before, step_allowed
from .selectors import monthly_benefits_of

# Fields whose change is a change of the record (and so a notice to the person).
TRACKED_FIELDS = (
    "reference", "person_id", "kind", "received_on", "agency_id", "expected_on", "status", "reject_reason",
    "decision_number", "decision_date", "amount", "monthly_amount", "payment_method", "paid_on",
    "days_off", "start_date", "child_birth_date", "allowance_months", "impairment_percent", "replacement_rate",
    "event_date", "contribution_months",
)
# Tracked fields the audit trail writes as money (1.234.567 đ).
MONEY_FIELDS = ("amount", "monthly_amount")


def _changes(record: BenefitRecord) -> tuple[dict[str, tuple], int]:
    """Tracked fields whose value differs from the stored row: name → (old, new); and the stored
    row's revision (0 for a new record), read under the row's lock."""
    if record.pk is None:
        return {name: (None, getattr(record, name)) for name in TRACKED_FIELDS}, 0
    stored = (BenefitRecord.objects.select_for_update().filter(pk=record.pk).values(*TRACKED_FIELDS, "revision")
              .first())
    if stored is None:
        raise ValidationError(gettext("Hồ sơ không còn tồn tại."))
    changes = {name: (stored[name], getattr(record, name)) for name in TRACKED_FIELDS
               if stored[name] != getattr(record, name)}
    return changes, stored["revision"]


def _check_scope(*, record: BenefitRecord, actor, previous_agency_id) -> None:
    if actor is None:
        return
    allowed = officer_agency_ids(actor)
    if allowed is None:
        return
    if record.agency_id not in allowed or (previous_agency_id is not None and previous_agency_id not in allowed):
        raise PermissionDenied(gettext("Hồ sơ thuộc cơ quan BHXH ngoài phạm vi quản lý của bạn."))


def change_key(record: BenefitRecord, changes: dict[str, tuple]) -> str:
    """Names one change: the record, its revision and a hash of the changed values, so the same
    change retried sends nothing new and every later change sends again."""
    values = "|".join(f"{name}={new}" for name, (_, new) in sorted(changes.items()))
    digest = hashlib.sha256(values.encode()).hexdigest()[:16]
    return f"benefit-{record.pk}-r{record.revision}-{digest}"


@transaction.atomic
def benefit_save(*, record: BenefitRecord, actor=None, seen_version=None) -> bool:
    """Validate and save a new or edited record. Returns whether anything changed (and so whether
    an audit row was written and the person told). `actor` is the officer (None for imports);
    an officer writes no record of their own nor of their child's (own_record_refusal: ValidationError);
    `seen_version`, the revision the officer's page showed: a record saved by somebody else since
    is refused (ValidationError) rather than overwritten. Without it, the revision `record` was
    loaded with is compared instead, so a copy loaded before another save is refused as well."""
    check_unchanged_since_seen(record, seen=seen_version)
    stored = {"agency_id": None, "status": None}
    if record.pk is not None:
        stored = (BenefitRecord.objects.select_for_update().filter(pk=record.pk).values("agency_id", "status").first()
                  or stored)
    _check_scope(record=record, actor=actor, previous_agency_id=stored["agency_id"])
    if actor is not None and (own := own_record_refusal(actor, record.person_id)):  # their own or their child's
        raise ValidationError(own)
    refusal = _status_move_refusal(stored=stored["status"], status=record.status)
    if refusal:
        raise ValidationError({"status": refusal})
    return _write(record, actor=actor)


def benefit_status_refusal(*, record: BenefitRecord) -> str:
    """Why a save may not move `record` from the status stored to the one it carries, or "" when it
    may: the edit page's form asks it to say so beside the status field (the save asks again). Locks
    the stored row until the end of the transaction."""
    if record.pk is None:
        return ""
    stored = BenefitRecord.objects.select_for_update().filter(pk=record.pk).values_list("status", flat=True).first()
    return _status_move_refusal(stored=stored, status=record.status)


def _status_move_refusal(*, stored: str | None, status: str) -> str:
    """Why one save may not move a record from its `stored` status to `status` (REACHED_IN_ONE_SAVE),
    or "" when it may (a new record, `stored` None, starts at any status)."""
    if stored is None or status == stored or status not in Status.values or status in REACHED_IN_ONE_SAVE[stored]:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        statuses = {"stored": Status(stored).label, "status": Status(status).label,
                    "listed": _either(REACHED_IN_ONE_SAVE[stored])}
        if statuses["listed"]:
            return gettext("Hồ sơ đang ở trạng thái “%(stored)s” nên không chuyển sang “%(status)s” được: hãy giữ "
                           "nguyên trạng thái này hoặc chọn %(listed)s.") % statuses
        return gettext("Hồ sơ đang ở trạng thái “%(stored)s” nên không chuyển sang “%(status)s” được: hãy giữ "
                       "nguyên trạng thái này.") % statuses


def _either(steps) -> str:
    """The statuses `steps`, quoted, as a choice in the active language: “A”, “B” hoặc “C”."""
    return get_text_list([f"“{Status(step).label}”" for step in steps], gettext("hoặc"))


@transaction.atomic
def monthly_benefits_change(*, person, actor, because: str, agency=None, payment_method: str = "") -> int:
    """Apply an approved change of where (`agency`, the BHXH agency that pays) or how
    (`payment_method`) a person's monthly benefits are paid to each of their monthly benefit
    records, as a completed public-service filing decides it; `because` names that filing in the
    audit trail. The officer's right to decide is the filing's, checked where it is completed: a
    move leaves the records' former agency, which is outside the new one's scope. Each record
    changed gets its audit row as any save does, but no notice: the filing's completion message
    names the decision once (Procedure.completion_outcome), rather than one notice and SMS per
    record saying only that it was updated; returns how many changed. A person
    without a monthly benefit is refused: there is nothing to apply the decision to. A record the
    change may not save (one stored before a rule it breaks) refuses it all, the message naming that
    record and what is wrong with it."""
    records = list(monthly_benefits_of(person=person).select_for_update())
    if not records:
        raise ValidationError(gettext("Người hưởng %(code)s không có khoản lương hưu, trợ cấp BHXH hằng tháng nào để "
                                      "cập nhật.") % {"code": person.bhxh_code})
    changed = 0
    for record in records:
        managing = record.agency
        record.agency = agency or record.agency
        record.payment_method = payment_method or record.payment_method
        try:
            changed += _write(record, actor=actor, because=because, tell=False)
        except ValidationError as refused:
            raise ValidationError(_record_refused(record, refused, agency=managing)) from refused
    return changed


def _record_refused(record: BenefitRecord, refused: ValidationError, *, agency) -> str:
    """Why a record a decision reaches may not be saved, naming the record, the agency that manages it
    and each field at fault: the officer deciding sees no edit page of the record, whose fields its own
    messages speak of ("để trống ô này"), and may not be the one allowed to correct it."""
    by_field = refused.message_dict if hasattr(refused, "error_dict") else {NON_FIELD_ERRORS: refused.messages}
    reasons = []
    for field, messages in by_field.items():
        label = "" if field == NON_FIELD_ERRORS else field_label(BenefitRecord, field).capitalize()
        # "Ngày chi trả: Chỉ hồ sơ … để trống ô này", but not twice where the message names it already.
        reasons += [f"{label}: {message}" if label and not message.startswith(label) else message
                    for message in messages]
    return gettext("Chưa thực hiện được vì hồ sơ hưởng chế độ số %(reference)s (do %(agency)s quản lý) không cập nhật "
                   "được: %(reasons)s Hồ sơ hưởng đó cần được %(agency)s sửa trước.") % {
        "reference": record.reference, "agency": agency.name, "reasons": " ".join(reasons)}


def _write(record: BenefitRecord, *, actor, because: str = "", tell: bool = True) -> bool:
    """Save a record whose writer may write it: audit row when something changed, and a notice
    unless `tell` is False (the decision that changed it is told of by its own message)."""
    created = record.pk is None
    record.full_clean()
    changes, stored_revision = _changes(record)
    if not created and record.revision != stored_revision:
        # A copy loaded before another save, saved without a version: its values would go back over
        # that save's (a lost update), so it is refused as a page opened before it is.
        raise ValidationError(STALE_EDIT, code="stale")
    if not changes:
        return False
    record.revision += 1
    record.save()
    # The audit trail and the notice's list of changes are written in Vietnamese, whatever the
    # language of the officer's page (choice labels and detail names are lazy translations).
    with translation.override(settings.LANGUAGE_CODE):
        if created:
            summary = f"Tiếp nhận hồ sơ {record.get_kind_display()}, trạng thái {record.get_status_display()}."
        else:
            summary = "; ".join(field_change(BenefitRecord, name, old, new, money=MONEY_FIELDS)
                                for name, (old, new) in changes.items())
        if because:
            summary = f"{summary} ({because})"
        changed = [field_label(BenefitRecord, name) for name in changes]
    BenefitEvent.objects.create(record=record, revision=record.revision, status=record.status, changes=summary,
                                actor=actor)
    if not tell:
        return True
    person_notify(
        person=record.person,
        template="benefit_received" if created else "benefit_updated",
        context={"record": record, "changed": changed},
        change_key=change_key(record, changes),
    )
    return True


@transaction.atomic
def benefit_set_status(*, record: BenefitRecord, status: str, actor=None, reason: str = "",
                       paid_on=None) -> bool:
    """Move a record to another status (the admin's bulk actions), one of the steps NEXT_STATUSES
    allows from the status stored: a record not decided, or refused, is never paid (ValidationError).
    Rejecting needs a reason; leaving "rejected" clears it; paying records `paid_on`, or today without
    it (a record not paid carries no payment date: BenefitRecord.clean); a payment date after today is
    refused (ValidationError on "paid_on") and nothing is saved.

    The actions load the records ticked, then move them one by one, so the record is read again
    under lock: what another officer saved in between is kept, and a record whose status they
    changed is left as it is (ValidationError), the step ticked being for the status then shown.
    `record` is given the values saved."""
    stored = BenefitRecord.objects.select_for_update().filter(pk=record.pk).first()
    if stored is None:
        raise ValidationError(gettext("Hồ sơ không còn tồn tại."))
    if stored.status != record.status:
        with translation.override(settings.LANGUAGE_CODE):
            raise ValidationError(gettext("Hồ sơ này vừa được người khác chuyển sang “%(status)s”: giữ nguyên. Hãy "
                                          "tải lại danh sách để xem.") % {"status": stored.get_status_display()})
    if not step_allowed(stored.status, status):
        with translation.override(settings.LANGUAGE_CODE):
            statuses = {"stored": stored.get_status_display(), "status": Status(status).label,
                        "before": _either(statuses_before(status))}
            if statuses["before"]:
                raise ValidationError(gettext("Hồ sơ đang ở trạng thái “%(stored)s” nên không chuyển sang “%(status)s” "
                                              "được; chỉ hồ sơ %(before)s mới chuyển được: giữ nguyên.") % statuses)
            raise ValidationError(gettext("Hồ sơ đang ở trạng thái “%(stored)s” nên không chuyển sang “%(status)s” "
                                          "được: giữ nguyên.") % statuses)
    if status == Status.PAID and stored.status != Status.PAID:
        stored.paid_on = paid_on or timezone.localdate()
    stored.status = status
    stored.reject_reason = reason.strip() if status == Status.REJECTED else ""
    changed = benefit_save(record=stored, actor=actor)
    record.refresh_from_db()
    return changed
