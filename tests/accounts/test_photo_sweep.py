"""The nightly sweep of rejected registrations' photos: run twice at once (two beats, a sweep
still running when the next starts), each registration's photos are deleted and recorded once;
photos the storage refuses to delete are logged and kept for the next sweep, the others go. The
declaration PDF goes with the photos, swept or replaced."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import Registration, RegistrationEvent
from accounts.services.registration import files as registration_files

from .helpers import make_person, submit

pytestmark = pytest.mark.usefixtures("reference_data")

LATER = datetime.timedelta(days=31)


def rejected(code: str, name: str, id_number: str) -> Registration:
    registration = submit(make_person(code, name, id_number=id_number), "07901")
    Registration.objects.filter(pk=registration.pk).update(
        status=Registration.Status.REJECTED, reject_reason="Ảnh mờ", decided_at=timezone.now())
    return registration


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_sweeps_delete_and_record_each_registrations_photos_once(monkeypatch):
    first = rejected("7901000001", "Trần Văn Lâm", "079088012345")
    second = rejected("7901000002", "Lê Văn Hùng", "079088012346")
    delete_files = registration_files.delete_files
    overlapping = {}

    def another_sweep_meanwhile(names):
        """After the first sweep's first registration, a second sweep runs through while the
        first still holds its list of registrations to do."""
        delete_files(names)
        if "swept" not in overlapping:
            overlapping["swept"] = None
            overlapping["swept"] = registration_files.registrations_delete_stale_photos(now=timezone.now() + LATER)

    monkeypatch.setattr(registration_files, "delete_files", another_sweep_meanwhile)
    swept = registration_files.registrations_delete_stale_photos(now=timezone.now() + LATER)

    assert swept + overlapping["swept"] == 2
    for registration in (first, second):
        events = RegistrationEvent.objects.filter(registration=registration,
                                                  action=RegistrationEvent.Action.PHOTOS_DELETED)
        assert events.count() == 1
    assert registration_files.registrations_delete_stale_photos(now=timezone.now() + LATER) == 0


@pytest.mark.django_db(transaction=True)
def test_photos_that_cannot_be_deleted_are_logged_kept_for_the_next_sweep_and_the_others_still_go(
        monkeypatch, caplog):
    from django.core.files.storage import default_storage

    stuck = rejected("7901000001", "Trần Văn Lâm", "079088012345")
    other = rejected("7901000002", "Lê Văn Hùng", "079088012346")
    others_photos = [other.portrait.name, other.id_front.name, other.id_back.name]
    delete, refusing = default_storage.delete, [stuck.portrait.name]

    def refused_for_one(name):
        if name in refusing:
            raise PermissionError(13, "Permission denied", default_storage.path(name))
        delete(name)

    monkeypatch.setattr(default_storage, "delete", refused_for_one)
    assert registration_files.registrations_delete_stale_photos(now=timezone.now() + LATER) == 1
    other.refresh_from_db()
    assert other.photos_deleted_at is not None and not any(default_storage.exists(name) for name in others_photos)
    stuck.refresh_from_db()
    assert stuck.photos_deleted_at is None and stuck.portrait  # not marked deleted while its photo is still there
    assert any(record.levelname == "ERROR" and stuck.reference in record.getMessage() for record in caplog.records)

    refusing.clear()  # the next night
    assert registration_files.registrations_delete_stale_photos(now=timezone.now() + LATER) == 1
    stuck.refresh_from_db()
    assert stuck.photos_deleted_at is not None
    assert RegistrationEvent.objects.filter(action=RegistrationEvent.Action.PHOTOS_DELETED).count() == 2


def rejected_with_declaration(code, name, id_number) -> Registration:
    registration = submit(make_person(code, name, id_number=id_number))
    registration_files.registration_build_declaration(registration_id=registration.pk)
    Registration.objects.filter(pk=registration.pk).update(
        status=Registration.Status.REJECTED, reject_reason="Ảnh mờ", decided_at=timezone.now())
    registration.refresh_from_db()
    assert registration.declaration_pdf and default_storage.exists(registration.declaration_pdf.name)
    return registration


@pytest.mark.django_db(transaction=True)
def test_the_sweep_of_a_refused_registration_deletes_its_declaration_with_its_photos():
    registration = rejected_with_declaration("7901000001", "Trần Văn Lâm", "079088012345")
    declaration = registration.declaration_pdf.name
    assert registration_files.registrations_delete_stale_photos(now=timezone.now() + LATER) == 1
    registration.refresh_from_db()
    assert not registration.declaration_pdf and not default_storage.exists(declaration)
    # Not built again for it: the sweep of missing declarations leaves a swept registration alone.
    assert registration.pk not in registration_files.registrations_missing_declarations()
    assert registration_files.registration_build_declaration(registration_id=registration.pk) is None


@pytest.mark.django_db(transaction=True)
def test_a_replaced_registration_loses_its_declaration_with_its_photos():
    person = make_person()
    first = submit(person)
    registration_files.registration_build_declaration(registration_id=first.pk)
    first.refresh_from_db()
    declaration = first.declaration_pdf.name
    assert declaration and default_storage.exists(declaration)
    submit(person, agency_code="07903")
    first.refresh_from_db()
    assert first.status == Registration.Status.REPLACED and not first.declaration_pdf
    assert not default_storage.exists(declaration)


@pytest.mark.django_db(transaction=True)
def test_a_declaration_left_by_a_sweep_made_before_it_went_with_the_photos_is_deleted_at_the_next():
    registration = rejected_with_declaration("7901000001", "Trần Văn Lâm", "079088012345")
    declaration, photos = registration.declaration_pdf.name, registration_files._photo_names(registration)
    # Swept as the sweep did before: the photos gone and recorded, the declaration kept.
    registration_files.delete_files(photos)
    swept_at = timezone.now()
    Registration.objects.filter(pk=registration.pk).update(portrait="", id_front="", id_back="",
                                                           photos_deleted_at=swept_at)
    RegistrationEvent.objects.create(registration=registration, action=RegistrationEvent.Action.PHOTOS_DELETED)

    assert registration_files.registrations_delete_stale_photos(now=timezone.now() + LATER) == 1
    registration.refresh_from_db()
    assert not registration.declaration_pdf and not default_storage.exists(declaration)
    assert registration.photos_deleted_at == swept_at  # when the photos went, as recorded then
    assert RegistrationEvent.objects.filter(registration=registration,
                                            action=RegistrationEvent.Action.PHOTOS_DELETED).count() == 1
    assert registration_files.registrations_delete_stale_photos(now=timezone.now() + LATER) == 0
