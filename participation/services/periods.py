"""Writes to participation periods: one save path for the admin, the import and the demo data.

A period that really changed tells its person (in-portal notice + SMS) once per change; a save
that changes nothing tells nobody. A deletion tells the people whose history lost periods once,
summing them up (participation_removed).
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Person
from accounts.selectors import own_record_refusal, own_records_refusal, people_told_of
from accounts.services.notices import person_notify
from lookup.selectors import officer_agency_ids
from vssid_portal.concurrent_edits import check_unchanged_since_seen
from vssid_portal.locks import Lock, advisory_xact_lock

from ..models import Period
from ..selectors import TABS_BY_KIND

TRACKED_FIELDS = (
    "kind", "from_month", "to_month", "payer", "employer_id", "job_title", "base", "rate", "amount",
    "unpaid_months", "province_id", "agency_id", "facility_id",
)


def _fingerprint(period: Period) -> str:
    values = "|".join(str(getattr(period, name)) for name in TRACKED_FIELDS)
    return hashlib.sha256(values.encode()).hexdigest()[:16]


def _changed_fields(period: Period) -> set[str]:
    if period.pk is None:
        return set(TRACKED_FIELDS)
    stored = Period.objects.filter(pk=period.pk).values(*TRACKED_FIELDS).first() or {}
    return {name for name in TRACKED_FIELDS if stored.get(name) != getattr(period, name)}


def period_notify(period: Period) -> None:
    """Queue the change notices for a period that has just been created or changed; the notice
    opens the tab of the period's insurance type. The change is named by the time of its save as
    well as by the values saved: a period changed back to values it had before is a new change."""
    person_notify(
        person=period.person,
        template="participation_changed",
        context={"period": period, "tab": TABS_BY_KIND[period.kind].slug},
        change_key=f"period-{period.pk}-{period.updated_at:%Y%m%d%H%M%S%f}-{_fingerprint(period)}",
    )


# The short name of a type in a notice naming more than two: the SMS says "BHXH" for compulsory and
# voluntary alike, so that an employer's usual four (BHXH, BHTN, BHTNLĐ-BNN, BHYT) keep the text within
# two SMS segments.
SHORT_KIND = {Period.Kind.BHXH_COMPULSORY: "BHXH", Period.Kind.BHXH_VOLUNTARY: "BHXH"}

DUPLICATE_PERIOD = gettext_lazy("Người này đã có giai đoạn cùng loại, cùng đơn vị bắt đầu từ tháng này.")


def period_is_duplicate(period: Period) -> bool:
    """Another period has this one's natural key (person, type, first month, employer or payer)."""
    return Period.objects.filter(import_key=period.natural_key()).exclude(pk=period.pk).exists()


# Who pays, as "do … đóng" names them; an employer is named by its name.
PAID_BY = {
    Period.Payer.SELF: gettext_lazy("người tham gia tự đóng"),
    Period.Payer.HOUSEHOLD: gettext_lazy("hộ gia đình đóng"),
    Period.Payer.STATE: gettext_lazy("ngân sách nhà nước đóng"),
    Period.Payer.FUND: gettext_lazy("quỹ BHXH, BHTN đóng"),
}


def overlap_message(*, from_month, to_month, payer: str, employer_name: str | None) -> str:
    """What an officer is told of a period whose months another of the same payer already covers, in
    the language active when it is told."""
    paid_by = (gettext("%(employer)s đóng") % {"employer": employer_name} if employer_name else
               str(PAID_BY.get(payer, gettext_lazy("cùng người đóng"))))
    return gettext("Trùng với giai đoạn %(first)s–%(last)s do %(paid_by)s: cùng một người đóng không đóng hai lần "
                   "một loại bảo hiểm cho cùng một tháng.") % {
        "first": f"{from_month:%m/%Y}", "last": f"{to_month:%m/%Y}", "paid_by": paid_by}


# An overlap with a period outside the officer's scope: its months and payer are not theirs to see.
OTHER_AGENCY_OVERLAP = gettext_lazy("Trùng với một giai đoạn do cơ quan BHXH khác quản lý: cùng một người đóng không "
                                    "đóng hai lần một loại bảo hiểm cho cùng một tháng.")


def same_payer_filter(period: Period) -> dict:
    """The periods paid by this one's payer for the same person and insurance type: the same employer
    when an employer pays, else the same kind of payer. Different employers may pay the same months
    (several labour contracts at once)."""
    payer = {"employer_id": period.employer_id} if period.payer == Period.Payer.EMPLOYER else {}
    return {"person_id": period.person_id, "kind": period.kind, "payer": period.payer, **payer}


def period_overlapping(period: Period) -> Period | None:
    """Another period of the same person, type and payer with a month in common with this one."""
    return (Period.objects.filter(**same_payer_filter(period), from_month__lte=period.to_month,
                                  to_month__gte=period.from_month)
            .exclude(pk=period.pk).select_related("employer").order_by("from_month").first())


def lock_person(person_id) -> None:
    """Lock a person's row until the end of the transaction: every writer of their periods (the form,
    period_save, the import, period_delete) takes it before reading their periods or locking a period's row, so
    overlapping periods of one person are checked one after the other, and in one order (no deadlock).
    The writers of many people's periods (the import, period_delete of several people) run one at a
    time (wait_for_writers_of_many_people): an import locks its people batch by batch, not in one order.
    FOR NO KEY UPDATE, as no writer of periods changes a key of the person: a filing for them committed
    meanwhile is not waited for (vssid_portal/locks.py)."""
    list(Person.objects.select_for_update(no_key=True).filter(pk=person_id).values_list("pk", flat=True))


def wait_for_writers_of_many_people() -> None:
    """Wait until no other writer of many people's periods (an import, a deletion of several people's)
    runs, and keep them waiting until the end of the transaction."""
    advisory_xact_lock(Lock.MANY_PEOPLE_PERIODS)


def period_conflict(period: Period, scope: set[int] | None = None) -> dict[str, str] | None:
    """The field errors of a period that would duplicate or overlap another of its payer, or None.
    `scope`, the agencies of the officer saving it (None: all): a period of another agency is not
    named (OTHER_AGENCY_OVERLAP), as the officer's list does not show it. Locks the person's row first (the caller runs in a transaction: the admin's page, period_save):
    two officers saving overlapping periods of one person at once are checked one after the other."""
    lock_person(period.person_id)
    if period_is_duplicate(period):
        return {"from_month": DUPLICATE_PERIOD}
    existing = period_overlapping(period)
    if existing is not None and scope is not None and existing.agency_id not in scope:
        return {"from_month": OTHER_AGENCY_OVERLAP}
    if existing is not None:
        return {"from_month": overlap_message(
            from_month=existing.from_month, to_month=existing.to_month, payer=existing.payer,
            employer_name=existing.employer.name if existing.employer_id else None)}
    return None


@transaction.atomic
def period_save(*, period: Period, actor=None, seen_version=None) -> bool:
    """Validate and save; returns whether anything changed (and so whether the person was told).
    `actor`, the officer saving it (None for an import or the demo data): the period's agency, the
    stored one and the new one, must be within their scope, else PermissionDenied, and the person neither
    theirs nor their child's (own_record_refusal), else ValidationError. `seen_version`,
    the `updated_at` the officer's page showed: a period saved by somebody else since is refused
    (ValidationError) rather than overwritten. Locks the person's row, then the period's (the
    import's order too), until the end of the transaction."""
    lock_person(period.person_id)
    check_unchanged_since_seen(period, seen=seen_version, field="updated_at")
    scope = officer_agency_ids(actor) if actor is not None else None
    if actor is not None:
        if refusal := own_record_refusal(actor, period.person_id):  # their own or their child's period
            raise ValidationError(refusal)
        stored = Period.objects.filter(pk=period.pk).values_list("agency_id", flat=True).first() if period.pk else None
        if scope is not None and not {period.agency_id, stored} - {None} <= scope:
            raise PermissionDenied("Quá trình thuộc cơ quan BHXH ngoài phạm vi quản lý của bạn.")
    period.full_clean(exclude=["import_key"])
    period.import_key = period.natural_key()
    conflict = period_conflict(period, scope)
    if conflict:
        raise ValidationError(conflict)
    changed = _changed_fields(period)
    if not changed:
        return False
    period.save()
    period_notify(period)
    return True


@transaction.atomic
def period_delete(*, periods: QuerySet, actor=None) -> None:
    """Delete these periods (the admin's delete page, "delete selected"); `actor`, the officer deleting
    them, deletes none of their own or their child's (own_record_refusal: ValidationError, nothing
    deleted). Their people's rows are locked
    first, in key order, then the periods deleted: the lock order of every writer (lock_person). Deleting
    first would lock the period rows, then the people (the table's trigger, accounts/content_version.py),
    and wait in a circle with an edit or an import of the same person. Periods of several people wait
    for a running import first."""
    people = sorted(set(periods.values_list("person_id", flat=True)))
    if actor is not None and people:
        if refusal := own_records_refusal(actor, people):
            raise ValidationError(refusal)
    if len(people) > 1:
        wait_for_writers_of_many_people()
    list(Person.objects.select_for_update(no_key=True).filter(pk__in=people).order_by("pk")
         .values_list("pk", flat=True))
    notify = people_told_of(people)
    removed = list(periods.filter(person_id__in=notify).order_by("pk").values("pk", "person_id", "kind", "from_month",
                                                                              "to_month"))
    periods.delete()
    _notify_removed(removed)


def kind_labels(kinds) -> list:
    """The insurance types a notice of several periods names, in the model's order; short names when
    there are many (the SMS stays within two segments)."""
    named = set(kinds)
    chosen = [kind for kind in Period.Kind if kind in named]
    if len(chosen) <= 2:
        return [kind.label for kind in chosen]  # lazy: rendered in the message's language by send_message
    return list(dict.fromkeys(SHORT_KIND.get(kind, kind.label) for kind in chosen))


def _notify_removed(removed: list[dict]) -> None:
    """One notice (in-portal + SMS) per person whose history lost periods, summing up the types and
    months taken out; the change is named by the periods deleted, which exist no more."""
    by_person: dict[int, list[dict]] = {}
    for row in removed:
        by_person.setdefault(row["person_id"], []).append(row)
    for person in Person.objects.filter(pk__in=by_person).order_by("pk"):
        rows = by_person[person.pk]
        kinds = [kind for kind in Period.Kind if kind in {row["kind"] for row in rows}]
        pks = ",".join(str(row["pk"]) for row in rows)
        person_notify(
            person=person, template="participation_removed",
            context={"count": len(rows), "kinds": kind_labels(kinds), "first": min(row["from_month"] for row in rows),
                     "last": max(row["to_month"] for row in rows), "tab": TABS_BY_KIND[kinds[0]].slug},
            change_key=f"period-removed-{hashlib.sha256(pks.encode()).hexdigest()[:16]}-{person.pk}",
        )

