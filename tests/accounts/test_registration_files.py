"""Where a registration's files are stored: one random folder of its own, whatever saves them and
when (the photos at submission, the declaration later), never a folder named by its reference."""

import datetime

import pytest
from django.core.files.storage import default_storage

from accounts.services.registration import registration_build_declaration

from .helpers import make_person, submit

pytestmark = pytest.mark.django_db


def test_the_photos_and_the_declaration_built_later_share_one_folder_that_does_not_name_the_reference(reference_data):
    registration = submit(make_person())
    registration = registration_build_declaration(registration_id=registration.pk)
    names = [getattr(registration, field).name for field in ("portrait", "id_front", "id_back", "declaration_pdf")]
    assert {name.rsplit("/", 1)[0] for name in names} == {f"registrations/{registration.file_folder}"}
    assert all(registration.reference not in name and default_storage.exists(name) for name in names)
    assert len(registration.file_folder) == 32
    other = make_person("7901234568", "Trần Thị Bình", birth=datetime.date(1990, 5, 2), sex=2, id_number="079190012345")
    assert submit(other).file_folder != registration.file_folder
