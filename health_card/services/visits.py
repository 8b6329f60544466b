"""Writes to the medical-visit history: one save path for a visit and its cost lines.

The admin (officers and clinic staff) and anything else that enters visits call `visit_save`, and
`visits_delete` to delete them; a visit added by BHXH code finds its patient with `visit_patient_find`.
A save that really changes the visit or its lines bumps its revision, writes an audit row (who,
when, what) and tells the person (in-portal notice + SMS) once for that change; a save that
changes nothing writes nothing and tells nobody. The messages name the facility, the dates and
the amounts, never the diagnosis: an SMS shows on a locked phone.
"""

import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from accounts.models import Person
from accounts.selectors import is_persons_name, own_record_refusal, own_records_refusal
from accounts.services.notices import person_notify
from vssid_portal.audit import field_change
from vssid_portal.concurrent_edits import check_unchanged_since_seen
from vssid_portal.templatetags.vn_format import vn_date, vnd

from .. import mismatches
from ..mismatches import (
    MismatchesUsedUp,
    clinic_caller,
    given_back_if_raised,
    mismatch_give_back,
    mismatch_reserve,
    mismatches_refused_wait,
)
from ..models import Visit, VisitEvent, VisitLine
from ..selectors import own_facility_only, visit_in_scope

TOTAL_FIELDS = ("total_cost", "bhyt_paid", "patient_paid")
TRACKED_FIELDS = ("person_id", "facility_id", "reference", "kind", "admitted_on", "discharged_on", "diagnosis_code",
                  "diagnosis_name", "total_cost", "bhyt_paid", "patient_paid")
MONEY_FIELDS = ("total_cost", "bhyt_paid", "patient_paid")


def line_totals(lines) -> tuple[int, int, int]:
    """(total, BHYT, patient) of cost lines."""
    total = sum(line.amount or 0 for line in lines)
    bhyt = sum(line.bhyt_amount or 0 for line in lines)
    return total, bhyt, total - bhyt


def fill_totals(visit: Visit, lines) -> None:
    """Totals left empty are taken from the lines (the patient's share: total − BHYT)."""
    lines = list(lines)
    if lines:
        total, bhyt, patient = line_totals(lines)
        if visit.total_cost is None:
            visit.total_cost = total
        if visit.bhyt_paid is None:
            visit.bhyt_paid = bhyt
        if visit.patient_paid is None:
            visit.patient_paid = patient
    elif visit.total_cost is not None and visit.bhyt_paid is not None and visit.patient_paid is None:
        visit.patient_paid = visit.total_cost - visit.bhyt_paid


def largest_amount() -> int:
    """The largest amount of money a visit's totals can hold (their column's range on this database)."""
    return min(validator.limit_value for validator in Visit._meta.get_field("total_cost").validators
               if isinstance(validator, MaxValueValidator))


def check_totals(visit: Visit, lines) -> None:
    """A visit with cost lines has exactly their totals, and no share exceeds the total or is
    negative; raises ValidationError naming each field."""
    lines = list(lines)
    errors = {}
    if lines:
        total, bhyt, patient = line_totals(lines)
        largest = largest_amount()
        if max(total, bhyt) > largest:
            # Each line fits its column, their sum need not: it would fail the visit's own columns.
            with translation.override(settings.LANGUAGE_CODE):
                raise ValidationError({"total_cost": (
                    f"Tổng của các dòng chi phí ({vnd(max(total, bhyt))}) vượt quá số tiền lớn nhất một lượt khám "
                    f"ghi được ({vnd(largest)}). Kiểm tra lại đơn giá và thành tiền của các dòng chi phí.")})
        for name, expected, label in (("total_cost", total, "Tổng chi phí"), ("bhyt_paid", bhyt, "Phần BHYT chi trả"),
                                      ("patient_paid", patient, "Phần người bệnh chi trả")):
            value = getattr(visit, name)
            if value != expected:
                with translation.override(settings.LANGUAGE_CODE):  # amounts the way the message around them writes
                    shown, wanted = "trống" if value is None else vnd(value), vnd(expected)
                errors[name] = (f"{label} ({shown}) phải bằng tổng của các dòng chi phí ({wanted}). "
                                "Sửa số tiền hoặc để trống để tính từ các dòng chi phí.")
    for name, label in (("total_cost", "tổng chi phí"), ("bhyt_paid", "phần BHYT chi trả"),
                        ("patient_paid", "phần người bệnh chi trả")):
        if getattr(visit, name) is None and name not in errors:
            errors[name] = f"Nhập {label} hoặc thêm các dòng chi phí."
    if not errors:  # all three are filled in
        if visit.bhyt_paid > visit.total_cost:
            # Without cost lines the patient's share is total − BHYT (fill_totals): it would be negative.
            errors["bhyt_paid"] = "Phần BHYT chi trả không được lớn hơn tổng chi phí."
        else:
            errors = {name: "Số tiền không được âm." for name in TOTAL_FIELDS if getattr(visit, name) < 0}
    if errors:
        raise ValidationError(errors)


def check_dates(visit: Visit, *, birth_date_shown: bool = True) -> None:
    """A visit is entered once it happened: neither date may be after today, nor (with its person)
    the admission before the patient's birth; raises ValidationError naming each field. Without
    `birth_date_shown` (to one who may not read it) only the birth year is compared, and not told:
    a refusal within that year would give the day to a few tries halving the date."""
    today = timezone.localdate()
    errors = {name: f"{label} không được sau ngày hôm nay ({vn_date(today)}): chỉ nhập lượt khám đã diễn ra."
              for name, label in (("admitted_on", "Ngày vào"), ("discharged_on", "Ngày ra"))
              if getattr(visit, name) is not None and getattr(visit, name) > today}
    person = visit.person if visit.person_id else None
    if person is not None and visit.admitted_on is not None:
        if birth_date_shown and visit.admitted_on < person.birth_date:
            born = vn_date(person.birth_date, year_only=person.birth_year_only)
            errors["admitted_on"] = f"Ngày vào không thể trước ngày sinh của người bệnh ({born})."
        elif not birth_date_shown and visit.admitted_on.year < person.birth_date.year:
            errors["admitted_on"] = "Ngày vào không thể trước năm sinh của người bệnh."
    if errors:
        raise ValidationError(errors)


def _line_key(line: VisitLine) -> tuple:
    quantity = Decimal(line.quantity).normalize() if line.quantity is not None else None
    return (line.category, line.description, line.unit, str(quantity), line.unit_price, line.amount, line.bhyt_amount)


def change_key(visit: Visit, fingerprint: str) -> str:
    """Names one change: the visit, its revision and a hash of its new content, so the same
    change retried sends nothing new and every later change sends again."""
    return f"visit-{visit.pk}-r{visit.revision}-{fingerprint[:16]}"


def _fingerprint(values: dict, line_keys: list[tuple]) -> str:
    text = "|".join(f"{name}={values[name]}" for name in TRACKED_FIELDS) + "||" + repr(sorted(line_keys, key=repr))
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def visit_patient_find(*, user, bhxh_code: str, full_name: str, facility=None) -> Person | None:
    """The patient of a visit `user` adds at `facility` (None: not chosen yet): the person of `bhxh_code`,
    if `full_name` is theirs by the card checks' rule (accounts.selectors.is_persons_name) and such a visit is in
    the user's scope (selectors.visits.visit_in_scope). None alike for a code nobody has, a name that is
    not its holder's and a person outside the scope, each counted as a wrong guess against the login's
    CLINIC_MISMATCHES, the limit of its wrong names on the verify page: the visit saved, its page and the
    list name the patient, so a code alone would name its holder, and a right name outside the scope
    left uncounted would tell the count apart from a wrong one. Raises MismatchesUsedUp, looking nothing
    up, once they are used up (or cannot be counted: Redis down, the limiter's lock busy)."""
    caller, rate = clinic_caller(user), mismatches.CLINIC_MISMATCHES
    reserved = mismatch_reserve(caller=caller, rate=rate)
    if reserved is None:
        raise MismatchesUsedUp(mismatches_refused_wait(caller=caller, rate=rate))
    with given_back_if_raised(reserved):  # the check not made (the database's error): nothing spent
        person = Person.objects.select_related("agency").filter(bhxh_code=bhxh_code).first()
        if (person is None or not is_persons_name(person, full_name)
                or not visit_in_scope(user, Visit(person=person, facility=facility))):
            return None
    mismatch_give_back(reserved)
    return person


def visit_save(*, visit: Visit, lines, actor=None, seen_version=None) -> bool:
    """Validate and save a new or corrected visit with its complete list of cost lines (lines
    left out are deleted). Returns whether anything changed, and so whether an audit row was
    written and the person told. `actor` is the officer or clinic staff member (None for imports);
    `seen_version`, the revision their page showed: a visit saved by somebody else since is
    refused rather than overwritten. The actor writes no visit of their own record nor of their
    child's, nor any while their own record is not known (own_record_refusal: ValidationError).

    Raises ValidationError (Vietnamese messages, per field) or PermissionDenied outside the
    actor's scope."""
    check_unchanged_since_seen(visit, seen=seen_version)
    lines = list(lines)
    created = visit.pk is None
    stored, stored_lines = None, []
    if not created:
        stored = Visit.objects.select_for_update().filter(pk=visit.pk).values(*TRACKED_FIELDS).first()
        if stored is None:
            raise ValidationError("Lượt khám không còn tồn tại.")
        if stored["person_id"] != visit.person_id:
            raise ValidationError({"person": "Không thể chuyển lượt khám sang người khác: xóa và nhập lại."})
        stored_lines = list(VisitLine.objects.filter(visit_id=visit.pk))
    if actor is not None:
        previous = Visit.objects.select_related("person", "facility").get(pk=visit.pk) if stored else None
        if not visit_in_scope(actor, visit) or (previous is not None and not visit_in_scope(actor, previous)):
            raise PermissionDenied("Lượt khám ngoài phạm vi quản lý của bạn.")
        if refusal := own_record_refusal(actor, visit.person_id):  # their own or their child's visit
            raise ValidationError(refusal)
    stored_ids = {line.pk for line in stored_lines}
    if any(line.pk is not None and line.pk not in stored_ids for line in lines):
        raise ValidationError("Dòng chi phí không thuộc lượt khám này.")

    fill_totals(visit, lines)
    errors = {}
    try:
        visit.full_clean()
    except ValidationError as error:
        errors.update(error.update_error_dict({}))
    for line in lines:
        try:
            line.full_clean(exclude=["visit"])
        except ValidationError as error:
            errors.setdefault("lines", []).extend(error.messages)
    for check in (lambda: check_dates(visit, birth_date_shown=not own_facility_only(actor)),
                  lambda: check_totals(visit, lines)):
        try:
            check()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))
    if errors:
        raise ValidationError(errors)

    new_values = {name: getattr(visit, name) for name in TRACKED_FIELDS}
    fingerprint = _fingerprint(new_values, [_line_key(line) for line in lines])
    if stored is not None and fingerprint == _fingerprint(stored, [_line_key(line) for line in stored_lines]):
        return False

    visit.revision += 1
    visit.save()
    keep = {line.pk for line in lines if line.pk is not None}
    VisitLine.objects.filter(visit=visit).exclude(pk__in=keep).delete()
    for line in lines:
        line.visit = visit
        line.save()

    # The audit trail is written in Vietnamese whatever the language of the officer's page (the
    # visit kind and the field names are lazy translations).
    with translation.override(settings.LANGUAGE_CODE):
        if created:
            summary = (f"Nhập lượt khám {visit.get_kind_display().lower()} tại {visit.facility.name}, "
                       f"{len(lines)} dòng chi phí.")
        else:
            parts = [field_change(Visit, name, stored[name], new_values[name], money=MONEY_FIELDS)
                     for name in TRACKED_FIELDS if stored[name] != new_values[name]]
            if sorted(map(_line_key, stored_lines), key=repr) != sorted(map(_line_key, lines), key=repr):
                parts.append(f"chi phí chi tiết: {len(stored_lines)} → {len(lines)} dòng")
            summary = "; ".join(parts)
    VisitEvent.objects.create(visit=visit, revision=visit.revision, changes=summary, actor=actor)
    person_notify(
        person=visit.person,
        template="visit_added" if created else "visit_updated",
        context={"visit": visit},
        change_key=change_key(visit, fingerprint),
    )
    return True


@transaction.atomic
def visits_delete(*, visits: QuerySet, actor) -> None:
    """Delete these visits with their cost lines and history (one entered for the wrong person is
    deleted and entered again). The actor deletes none of their own record nor of their child's, nor
    any while their own record is not known (own_records_refusal: ValidationError, nothing deleted)."""
    if refusal := own_records_refusal(actor, sorted(set(visits.values_list("person_id", flat=True)))):
        raise ValidationError(refusal)
    visits.delete()

