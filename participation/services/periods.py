"""Writes to participation periods: one save path for the admin, the import and the demo data.

A period that really changed tells its person (in-portal notice + SMS) once per change; a save
that changes nothing tells nobody.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from accounts.selectors import adult_born_by
from accounts.services.notices import person_notify
from lookup.selectors import officer_agency_ids
from vssid_portal.concurrent_edits import check_unchanged_since_seen

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


DUPLICATE_PERIOD = "Người này đã có giai đoạn cùng loại, cùng đơn vị bắt đầu từ tháng này."


def period_is_duplicate(period: Period) -> bool:
    """Another period has this one's natural key (person, type, first month, employer or payer)."""
    return Period.objects.filter(import_key=period.natural_key()).exclude(pk=period.pk).exists()


@transaction.atomic
def period_save(*, period: Period, actor=None, seen_version=None) -> bool:
    """Validate and save; returns whether anything changed (and so whether the person was told).
    `actor`, the officer saving it (None for an import or the demo data): the period's agency, the
    stored one and the new one, must be within their scope, else PermissionDenied. `seen_version`,
    the `updated_at` the officer's page showed: a period saved by somebody else since is refused
    (ValidationError) rather than overwritten."""
    check_unchanged_since_seen(period, seen=seen_version, field="updated_at")
    if actor is not None:
        scope = officer_agency_ids(actor)
        stored = Period.objects.filter(pk=period.pk).values_list("agency_id", flat=True).first() if period.pk else None
        if scope is not None and not {period.agency_id, stored} - {None} <= scope:
            raise PermissionDenied("Quá trình thuộc cơ quan BHXH ngoài phạm vi quản lý của bạn.")
    period.full_clean(exclude=["import_key"])
    period.import_key = period.natural_key()
    if period_is_duplicate(period):
        raise ValidationError({"from_month": DUPLICATE_PERIOD})
    changed = _changed_fields(period)
    if not changed:
        return False
    period.save()
    period_notify(period)
    return True


def people_to_notify(person_ids) -> set[int]:
    """Of these people, the ones with a portal account or a parent who views their records."""
    own = User.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True)
    children = User.objects.filter(
        guardianships__child_id__in=person_ids, guardianships__child__birth_date__gt=adult_born_by(),
    ).values_list("guardianships__child_id", flat=True)
    return set(own) | set(children)
