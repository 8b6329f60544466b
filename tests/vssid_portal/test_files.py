"""Private files: no public URL, served only through a signed link for the right user."""

import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from vssid_portal import files


@pytest.fixture
def stored(settings):
    name = default_storage.save("registrations/2026/to-khai.pdf", ContentFile(b"%PDF-1.7 test"))
    return name


@pytest.fixture
def owner(db):
    return get_user_model().objects.create_user("7901234567", password="x-Pass-2026!")


def test_private_storage_lives_outside_public_folders_and_has_no_url(settings, stored):
    assert default_storage.path(stored).startswith(str(settings.PRIVATE_FILES_ROOT))
    with pytest.raises(ValueError):
        default_storage.url(stored)


def test_owner_downloads_through_a_signed_link_with_safe_headers(client, owner, stored):
    client.force_login(owner)
    response = client.get(files.private_file_url(stored, user=owner, filename="to-khai.pdf"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_link_made_for_someone_else_is_a_404(client, owner, stored):
    other = get_user_model().objects.create_user("7909999999", password="x-Pass-2026!")
    link = files.private_file_url(stored, user=owner)
    client.force_login(other)
    assert client.get(link).status_code == 404
    client.logout()
    assert client.get(link).status_code == 404


def test_tampered_link_is_a_404_even_once_expired(client, owner, stored, monkeypatch):
    client.force_login(owner)
    link = files.private_file_url(stored, user=owner)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert client.get(link.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))).status_code == 404
    assert client.get("/tep/registrations%2F2026%2Fto-khai.pdf/").status_code == 404
    real_time = time.time
    monkeypatch.setattr(files.time, "time", lambda: real_time() + files.DEFAULT_MAX_AGE + 1)
    # tampered after it expired: still nothing said about it
    assert client.get(link.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))).status_code == 404


def _later(monkeypatch):
    real_time = time.time
    monkeypatch.setattr(files.time, "time", lambda: real_time() + files.DEFAULT_MAX_AGE + 1)


def test_an_expired_genuine_link_says_so_and_leads_back_to_a_fresh_one(client, owner, stored, monkeypatch):
    client.force_login(owner)
    link = files.private_file_url(stored, user=owner, back="/dich-vu-cong/ho-so/7/")
    bare = files.private_file_url(stored, user=owner)
    _later(monkeypatch)
    response = client.get(link)
    html = response.content.decode()
    assert response.status_code == 410 and "no-store" in response["Cache-Control"]
    assert "Liên kết tải đã hết hạn" in html and "chỉ dùng được trong 15 phút" in html
    assert 'href="/dich-vu-cong/ho-so/7/"' in html and "Mở lại trang để tải" in html
    html = client.get(bare).content.decode()  # a link made without its page: how to get a new one, in words
    assert "Hãy quay lại trang có nút tải" in html and "Mở lại trang để tải" not in html


def test_an_expired_link_of_someone_else_stays_a_404(client, owner, stored, monkeypatch):
    other = get_user_model().objects.create_user("7909999999", password="x-Pass-2026!")
    link = files.private_file_url(stored, user=owner, back="/dich-vu-cong/ho-so/7/")
    _later(monkeypatch)
    client.force_login(other)
    response = client.get(link)
    assert response.status_code == 404 and "/dich-vu-cong/ho-so/7/" not in response.content.decode()


def test_link_to_a_missing_file_is_a_404(client, owner):
    client.force_login(owner)
    assert client.get(files.private_file_url("khong/co.pdf", user=owner)).status_code == 404


def test_stale_uploads_of_unsubmitted_forms_are_deleted_and_fresh_ones_kept():
    from public_services.services import uploads_sweep

    assert files.delete_stale_uploads("nothing/here", cutoff=timezone.now()) == 0  # no folder yet
    first = default_storage.save("filings/tmp/form-1/evidence.jpg", ContentFile(b"x"))
    second = default_storage.save("filings/tmp/form-2/evidence.jpg", ContentFile(b"y"))
    kept = default_storage.save("filings/2026/keep.jpg", ContentFile(b"z"))  # a submitted filing's file
    assert uploads_sweep() == 0  # uploaded just now: the visitor may still submit
    assert uploads_sweep(older_than=datetime.timedelta(seconds=-5)) == 2  # as if a day had passed
    assert not default_storage.exists(first) and not default_storage.exists(second)
    assert default_storage.exists(kept)


def test_a_folder_removed_while_the_upload_sweep_runs_does_not_stop_it(monkeypatch):
    """Two sweeps at once (or a form's folder emptied and removed meanwhile): a folder listed but
    gone by the time it is opened is passed over, and the other folders are still swept."""
    import shutil

    gone = default_storage.save("filings/tmp/form-1/evidence.jpg", ContentFile(b"x"))
    stale = default_storage.save("filings/tmp/form-2/evidence.jpg", ContentFile(b"y"))
    listdir = default_storage.listdir

    def removed_after_listing(path):
        listed = listdir(path)
        if path == "filings/tmp":
            shutil.rmtree(default_storage.path("filings/tmp/form-1"))  # the other sweep's work
        return listed

    monkeypatch.setattr(default_storage, "listdir", removed_after_listing)
    assert files.delete_stale_uploads("filings/tmp", cutoff=timezone.now() + datetime.timedelta(seconds=5)) == 1
    assert not default_storage.exists(gone) and not default_storage.exists(stale)


def test_a_file_the_upload_sweep_cannot_delete_is_logged_and_the_others_are_swept(monkeypatch, caplog):
    stuck = default_storage.save("filings/tmp/form-1/evidence.jpg", ContentFile(b"x"))
    stale = default_storage.save("filings/tmp/form-2/evidence.jpg", ContentFile(b"y"))
    delete = default_storage.delete

    def refused_for_one(name):
        if name == stuck:
            raise PermissionError(13, "Permission denied", default_storage.path(name))
        delete(name)

    monkeypatch.setattr(default_storage, "delete", refused_for_one)
    assert files.delete_stale_uploads("filings/tmp", cutoff=timezone.now() + datetime.timedelta(seconds=5)) == 1
    assert default_storage.exists(stuck) and not default_storage.exists(stale)
    assert any(record.levelname == "ERROR" and stuck in record.getMessage() for record in caplog.records)


def test_a_link_reveals_nothing_of_the_file_to_whoever_reads_it(client, owner, settings):
    """Links are written in access logs, browser histories and forwarded mails: the storage name,
    the citizen's file name and the account are sealed in the link, not only signed."""
    import base64
    import zlib

    name = default_storage.save("filings/tmp/abc/CCCD_Nguyen_Van_Duc_079088001234.pdf", ContentFile(b"%PDF-1.7 test"))
    link = files.private_file_url(name, user=owner, filename="CCCD_Nguyen_Van_Duc_079088001234.pdf")
    token = link.rstrip("/").rsplit("/", 1)[1]
    data = token.split(":")[0].lstrip(".")  # a signed link's data, or all of a sealed one
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    for readable in (raw, _inflated(raw, zlib)):
        assert b"079088001234" not in readable and b"filings" not in readable and b"Nguyen" not in readable
    client.force_login(owner)
    assert b"".join(client.get(link).streaming_content) == b"%PDF-1.7 test"


def test_a_link_made_before_the_secret_key_was_rotated_still_opens(client, owner, stored, rotate_secret_key):
    link = files.private_file_url(stored, user=owner)
    rotate_secret_key()
    client.force_login(owner)
    assert client.get(link).status_code == 200
    rotate_secret_key.drop_old()
    assert client.get(link).status_code == 404


def _inflated(raw: bytes, zlib) -> bytes:
    for start in range(len(raw)):
        try:
            return zlib.decompressobj().decompress(raw[start:])
        except zlib.error:
            continue
    return b""


def test_a_link_bound_to_a_browser_session_before_the_secret_key_was_rotated_still_opens(
        client, db, stored, rotate_secret_key):
    """An anonymous visitor's own uploads: the link names their session by a tag keyed like the seal."""
    session_key = client.session.session_key  # the visitor's session, stored
    link = files.private_file_url(stored, user=None, session_key=session_key)
    rotate_secret_key()
    assert client.get(link).status_code == 200
    assert Client().get(link).status_code == 404  # still only for that session
    made_now = files.private_file_url(stored, user=None, session_key=session_key)
    rotate_secret_key.drop_old()
    assert client.get(made_now).status_code == 200  # made with the new key alone


def test_a_link_for_anyone_is_served_private_and_sandboxed_to_a_browser_without_a_session(stored):
    """A link made for whoever holds it is opened without a login and without a session cookie: its
    answer still tells every cache not to keep it, and a browser to run nothing it holds."""
    response = Client().get(files.private_file_url(stored, user=None, filename="to-khai.pdf"))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    policy = {part.strip() for part in response["Content-Security-Policy"].split(";")}
    assert {"default-src 'none'", "sandbox"} <= policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_expired_link_never_leads_off_the_portal(client, owner, stored, monkeypatch):
    """The page of an expired link leads back only to a page of the portal: an address that a browser
    reads as another site's (//host/...) is not offered, the words for a fresh link are."""
    client.force_login(owner)
    link = files.private_file_url(stored, user=owner, back="//evil.example/dich-vu-cong/")
    _later(monkeypatch)
    response = client.get(link)
    html = response.content.decode()
    assert response.status_code == 410
    assert "evil.example" not in html and "Hãy quay lại trang có nút tải" in html
