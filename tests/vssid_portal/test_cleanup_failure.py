"""Deleting the temporary uploads is tidying after a filing has committed: a storage that refuses to
delete one of them (a permission, a network store's error) leaves that file for the nightly sweep,
not the citizen with an error page and the filing without its own documents."""

import logging

import pytest
from django.core.files.storage import default_storage

from public_services.models import FilingDocument
from tests.public_services.helpers import owner, stored_upload, submit  # noqa: F401

pytestmark = pytest.mark.django_db


def storage_refusing(monkeypatch, refused) -> None:
    """The storage refuses to delete the files whose names `refused(name)` is true of (a permission)."""
    delete = default_storage.delete

    def refusing(name):
        if refused(name):
            raise PermissionError(13, "Permission denied", name)
        delete(name)

    monkeypatch.setattr(default_storage, "delete", refusing)


def test_a_temporary_upload_the_storage_will_not_delete_keeps_the_filing_and_its_documents(
        owner, monkeypatch, django_capture_on_commit_callbacks, caplog):
    storage_refusing(monkeypatch, lambda name: name.startswith("filings/tmp/"))
    upload = stored_upload("evidence_1")
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, "607A", uploads={"evidence_1": upload})
    documents = list(FilingDocument.objects.filter(filing=filing))
    assert [document.field for document in documents] == ["evidence_1"]
    assert default_storage.exists(documents[0].file.name)
    assert default_storage.exists(upload)  # left for the sweep
    assert upload in caplog.text
    filing.refresh_from_db()
    assert filing.declaration_pdf and default_storage.exists(filing.declaration_pdf.name)  # built after the tidying


def test_a_temporary_photo_the_storage_will_not_delete_keeps_the_registration_and_its_photos(
        reference_data, monkeypatch, django_capture_on_commit_callbacks, caplog):
    from tests.accounts.helpers import make_person
    from tests.accounts.helpers import submit as register

    storage_refusing(monkeypatch, lambda name: name.startswith("registrations/tmp/"))
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        registration = register(make_person("7901234567", "Nguyễn Văn Đức"))
    registration.refresh_from_db()
    assert all(default_storage.exists(photo.name)
               for photo in (registration.portrait, registration.id_front, registration.id_back))
    assert "registrations/tmp/t/portrait.jpg" in caplog.text
    assert registration.declaration_pdf and default_storage.exists(registration.declaration_pdf.name)


def test_a_file_the_storage_will_not_delete_leaves_the_others_of_the_list_deleted(
        monkeypatch, django_capture_on_commit_callbacks, caplog):
    from django.core.files.base import ContentFile

    from vssid_portal.files import delete_files_once_committed

    stuck, other = (default_storage.save(f"registrations/abc/{name}.jpg", ContentFile(b"x")) for name in ("cu", "moi"))
    storage_refusing(monkeypatch, lambda name: name == stuck)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        delete_files_once_committed([stuck, "", other])
    assert default_storage.exists(stuck) and not default_storage.exists(other)
    assert stuck in caplog.text
