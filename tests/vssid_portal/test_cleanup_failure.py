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


def _attachments_form(client) -> str:
    """The 607A form opened: its idempotency key."""
    page = client.get("/dich-vu-cong/cap-lai-so-bhxh/").content.decode()
    return page.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]


def _draft_uploads(client) -> list[str]:
    """The stored names of the files kept for the one draft of the client's session."""
    [draft] = client.session["public_services_drafts"].values()
    return list(draft["uploads"].values())


def test_a_draft_file_taken_out_that_the_storage_will_not_delete_is_left_for_the_sweep_and_the_form_goes_on(
        owner, monkeypatch, django_capture_on_commit_callbacks, caplog):
    """"Bỏ tệp này" on a file kept for a draft: the storage refusing to delete it fails neither the post nor
    what it sends (the answers go to the review page, without the file); the file stays for the sweep."""
    from tests.accounts.helpers import jpeg
    from tests.public_services.helpers import answers, logged

    client = logged(owner)
    key = _attachments_form(client)
    url = "/dich-vu-cong/cap-lai-so-bhxh/"
    kept = client.post(url, {**answers("607A", details=""), "idempotency_key": key, "attached_files": [jpeg("giay.jpg")]})
    assert kept.status_code == 200 and "giay.jpg" in kept.content.decode()
    [stored] = _draft_uploads(client)
    storage_refusing(monkeypatch, lambda name: name.startswith("filings/tmp/"))

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**answers("607A", details="Mất sổ ở bến xe"), "idempotency_key": key,
                                     "remove_files": ["attached_files-1"]})

    assert response.status_code == 302 and response["Location"].endswith("/xem-lai/")
    review = client.get(response["Location"]).content.decode()
    assert "Mất sổ ở bến xe" in review and "giay.jpg" not in review
    assert default_storage.exists(stored) and stored in caplog.text  # left for the sweep, said in the log


def test_a_draft_file_replaced_that_the_storage_will_not_delete_is_left_for_the_sweep_and_the_form_goes_on(
        owner, monkeypatch, django_capture_on_commit_callbacks, caplog):
    """A file chosen again under the name of one kept for the draft replaces it: the storage refusing to
    delete the old copy fails neither the post nor the answers typed; the new copy is the one kept."""
    from tests.accounts.helpers import jpeg
    from tests.public_services.helpers import answers, logged

    client = logged(owner)
    key = _attachments_form(client)
    url = "/dich-vu-cong/cap-lai-so-bhxh/"
    client.post(url, {**answers("607A", reason=""), "idempotency_key": key, "attached_files": [jpeg("anh.jpg")]})
    [old] = _draft_uploads(client)
    storage_refusing(monkeypatch, lambda name: name.startswith("filings/tmp/"))

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**answers("607A", details="Mất sổ ở bến xe"), "idempotency_key": key,
                                     "attached_files": [jpeg("anh.jpg", color=(200, 30, 30))]})

    assert response.status_code == 302 and response["Location"].endswith("/xem-lai/")
    [new] = _draft_uploads(client)
    assert new != old and default_storage.exists(new)
    assert "Mất sổ ở bến xe" in client.get(response["Location"]).content.decode()
    assert default_storage.exists(old) and old in caplog.text  # left for the sweep, said in the log


def test_a_registration_photo_replaced_that_the_storage_will_not_delete_is_left_for_the_sweep(
        reference_data, client, monkeypatch, django_capture_on_commit_callbacks, caplog):
    """A photo of the registration's second step chosen again: the storage refusing to delete the one it
    replaces fails neither the post nor the registration under way; the new photo is the one kept."""
    from accounts.sessions import REGISTRATION_DRAFT
    from tests.accounts.helpers import declaration_data, jpeg, make_person

    make_person()
    assert client.post("/dang-ky/", declaration_data()).status_code == 302
    assert client.post("/dang-ky/anh/", {"portrait": jpeg()}).status_code == 200  # the ID photos still missing
    old = client.session[REGISTRATION_DRAFT]["photos"]["portrait"]
    storage_refusing(monkeypatch, lambda name: name.startswith("registrations/tmp/"))

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dang-ky/anh/", {"portrait": jpeg(color=(200, 30, 30)), "id_front": jpeg(),
                                                 "id_back": jpeg()})

    assert response.status_code == 302 and response["Location"] == "/dang-ky/co-quan/"
    state = client.session[REGISTRATION_DRAFT]
    assert state["photos"]["portrait"] != old and default_storage.exists(state["photos"]["portrait"])
    assert state["declaration"]["id_number"] == "079088012345"  # what was typed at the first step
    assert default_storage.exists(old) and old in caplog.text  # left for the sweep, said in the log
