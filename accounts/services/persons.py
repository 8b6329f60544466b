"""Writing people in the registry from the admin: a person's page saved, and people deleted (the delete
page and "delete selected")."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from vssid_portal.locks import Lock, advisory_xact_lock

from ..models import Person
from ..selectors import own_records_refusal

# Columns a save of a person's page never writes: the id, the time the person was added, and their page
# version, which the person table's trigger moves with every write (accounts/content_version.py).
NEVER_SAVED = frozenset({"id", "created_at", "content_version"})


def person_columns(person: Person) -> dict:
    """The person's columns as they stand (by attname: "agency_id"), which a form keeps as it reads the
    person, for person_save to write only the columns changed since."""
    return {field.attname: getattr(person, field.attname) for field in Person._meta.concrete_fields}


@transaction.atomic
def person_save(*, person: Person, as_read: dict | None = None) -> Person:
    """Save a person added, or changed, in the admin, whose form checked them (full_clean). A person
    changed (`as_read`: person_columns as the form read them) has only the columns that changed written:
    the page's fields, what the model's check and save make of them (a name in NFC, its folded key), and
    the time of the change; nothing when nothing changed. An UPDATE of every column would name the BHXH
    code, a key, and lock the row FOR UPDATE even when the code stays the same (the person table's BEFORE
    UPDATE trigger): a citizen's filing for that person committed meanwhile would wait for the officer's
    save (vssid_portal/locks.py). A code that changes still locks the row FOR UPDATE, as it must. Nor is a
    column the page did not change written back as it was read: a 608A's correction committed since stays.
    A person deleted since the page read them raises Person.DoesNotExist: the save does not bring them back."""
    if as_read is None or person._state.adding:
        person.save()
        return person
    person.normalize()  # the folded keys, as save() makes them
    changed = [name for name, value in person_columns(person).items()
               if name not in NEVER_SAVED and value != as_read.get(name)]
    # the row the UPDATE would lock anyway, read first: gone, it has nothing to update, and a save that
    # changes nothing does not say a deleted person was changed
    if not Person.objects.select_for_update(no_key=True).filter(pk=person.pk).exists():
        raise Person.DoesNotExist
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    return person


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
