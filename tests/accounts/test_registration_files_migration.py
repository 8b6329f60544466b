"""The migration moving a registration's files out of the folder named by its reference (accounts
0016, move_files) into the registration's own random folder (0015): the reference is in the signed,
readable link to a portrait shown to clinics and to the other parent.

It moves the schema of the test database back and forward, so it commits (transaction=True) and
puts every migration back on the way out, passing or failing, as tests/health_card's token expiry
migration test does."""

import datetime
import importlib
import logging

import pytest
from django.apps import apps as live_apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.models import Registration
from lookup.models import Agency
from notifications.models import Message
from tests.accounts.helpers import make_person
from tests.db_migrations import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0014_registration_open_per_submitter")]
files_moved = importlib.import_module("accounts.migrations.0016_registration_files_moved")
FIELDS = ("portrait", "id_front", "id_back", "declaration_pdf")


def old_registration(old_apps, person, reference, *, stored=FIELDS):
    """A registration as made before: its files under registrations/<reference>/ (those in `stored` written)."""
    names = {field: f"registrations/{reference}/{field}.{'pdf' if field == 'declaration_pdf' else 'jpg'}" for field in FIELDS}
    for field in stored:
        default_storage.save(names[field], ContentFile(f"{reference} {field}".encode()))
    OldRegistration = old_apps.get_model("accounts", "Registration")
    return OldRegistration.objects.create(
        reference=reference, person_id=person.pk, bhxh_code=person.bhxh_code, full_name=person.full_name,
        birth_date=person.birth_date, province_id=person.province_id, ward_id=person.ward_id, street="1",
        phone="+84912345678", agency_id=Agency.objects.get(code="07901").pk, **names)


def test_a_registrations_files_move_into_its_own_random_folder_and_the_old_names_are_gone(reference_data, caplog):
    person = make_person()
    other = make_person("7901234568", "Trần Thị Bình", birth=datetime.date(1990, 5, 2), sex=2, id_number="079190012345")
    try:
        old_apps = migrate(BEFORE)
        old_registration(old_apps, person, "DK2612ABC234")
        old_registration(old_apps, other, "DK2612XYZ789", stored=("id_front", "id_back", "declaration_pdf"))
        # its declaration e-mailed, the mail server down: still to send, by the file's name
        mail = Message.objects.create(channel=Message.Channel.EMAIL, template="registration_declaration",
                                      recipient="duc@example.vn", subject="Tờ khai", body="Tờ khai",
                                      attachment="registrations/DK2612ABC234/declaration_pdf.pdf",
                                      idempotency_key="registration-DK2612ABC234-declaration")
        with caplog.at_level(logging.WARNING):
            migrate()
    finally:
        migrate()  # every migration applied again, for the tests after this one

    moved = Registration.objects.get(reference="DK2612ABC234")
    assert len(moved.file_folder) == 32
    for field in FIELDS:
        name = getattr(moved, field).name
        assert name.startswith(f"registrations/{moved.file_folder}/") and "DK2612ABC234" not in name
        assert default_storage.open(name).read() == f"DK2612ABC234 {field}".encode()
    assert not default_storage.exists("registrations/DK2612ABC234")  # its files, and the folder, are gone
    mail.refresh_from_db()
    assert mail.attachment == moved.declaration_pdf.name
    # A file missing from storage is logged, its name moved all the same; the others of the row are moved.
    missing = Registration.objects.get(reference="DK2612XYZ789")
    assert missing.file_folder != moved.file_folder
    assert all("DK2612XYZ789" not in getattr(missing, field).name for field in FIELDS)
    assert default_storage.open(missing.id_front.name).read() == b"DK2612XYZ789 id_front"
    assert "registrations/DK2612XYZ789/portrait.jpg" in caplog.text
    assert not default_storage.exists("registrations/DK2612XYZ789/id_front.jpg")


def test_run_again_after_a_stop_half_way_it_skips_a_file_already_moved(reference_data, caplog):
    person = make_person()
    folder = "0123456789abcdef0123456789abcdef"
    names = {field: default_storage.save(f"registrations/{folder}/{field}.jpg", ContentFile(field.encode()))
             for field in ("portrait", "id_front")}
    old_front = default_storage.save("registrations/DK2612ABC234/id_front.jpg", ContentFile(b"id_front"))
    default_storage.delete(old_front)  # moved before the stop, its row not saved yet
    default_storage.save("registrations/DK2612ABC234/id_back.jpg", ContentFile(b"id_back"))  # not moved yet
    registration = Registration.objects.create(
        reference="DK2612ABC234", person=person, bhxh_code=person.bhxh_code, full_name=person.full_name,
        birth_date=person.birth_date, province=person.province, ward=person.ward, street="1", phone="+84912345678",
        agency=Agency.objects.get(code="07901"), file_folder=folder, portrait=names["portrait"],
        id_front="registrations/DK2612ABC234/id_front.jpg", id_back="registrations/DK2612ABC234/id_back.jpg")

    with caplog.at_level(logging.WARNING):
        files_moved.move_files(live_apps, None)
    registration.refresh_from_db()
    assert registration.file_folder == folder  # the folder given before the stop is kept
    assert [registration.portrait.name, registration.id_front.name, registration.id_back.name] == [
        f"registrations/{folder}/portrait.jpg", f"registrations/{folder}/id_front.jpg", f"registrations/{folder}/id_back.jpg"]
    assert default_storage.open(registration.id_back.name).read() == b"id_back"
    assert not default_storage.exists("registrations/DK2612ABC234/id_back.jpg")
    assert caplog.text == ""  # nothing was missing


def test_on_an_empty_database_it_does_nothing(db):
    files_moved.move_files(live_apps, None)
    assert not default_storage.exists("registrations")
