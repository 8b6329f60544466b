"""The nightly sweep of rejected registrations' photos: run twice at once (two beats, a sweep
still running when the next starts), each registration's photos are deleted and recorded once."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Registration, RegistrationEvent
from accounts.services import registration as registration_services

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
    delete_files = registration_services.delete_files
    overlapping = {}

    def another_sweep_meanwhile(names):
        """After the first sweep's first registration, a second sweep runs through while the
        first still holds its list of registrations to do."""
        delete_files(names)
        if "swept" not in overlapping:
            overlapping["swept"] = None
            overlapping["swept"] = registration_services.registrations_delete_stale_photos(now=timezone.now() + LATER)

    monkeypatch.setattr(registration_services, "delete_files", another_sweep_meanwhile)
    swept = registration_services.registrations_delete_stale_photos(now=timezone.now() + LATER)

    assert swept + overlapping["swept"] == 2
    for registration in (first, second):
        events = RegistrationEvent.objects.filter(registration=registration,
                                                  action=RegistrationEvent.Action.PHOTOS_DELETED)
        assert events.count() == 1
    assert registration_services.registrations_delete_stale_photos(now=timezone.now() + LATER) == 0
