"""Deleting people from the registry (the admin's delete page and "delete selected")."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from vssid_portal.locks import Lock, advisory_xact_lock

from ..models import Person
from ..selectors import own_records_refusal


@transaction.atomic
def persons_delete(*, persons: QuerySet, actor=None) -> None:
    """Delete these people with what cascades from them (their periods, guardianships, ...). `actor`, the
    officer deleting them, deletes neither their own record nor their child's (own_records_refusal:
    ValidationError, nothing deleted), nor any while their own record is not known. Their rows
    are locked first, in key order, then deleted: the lock order of every writer of a person's periods
    (participation.services.periods.lock_person). Deleting first would lock the period rows, then the
    person (the table's trigger, accounts/content_version.py), and wait in a circle with an officer's
    edit or an import of that person. Several people wait for a running import first, which locks its
    people batch by batch and not in one order."""
    ids = sorted(set(persons.values_list("pk", flat=True)))
    if actor is not None and ids and (refusal := own_records_refusal(actor, ids)):
        raise ValidationError(refusal)
    if len(ids) > 1:
        advisory_xact_lock(Lock.MANY_PEOPLE_PERIODS)
    list(Person.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    Person.objects.filter(pk__in=ids).delete()
