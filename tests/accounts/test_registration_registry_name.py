"""A registration typed without diacritics ("nguyen van duc") matches the registry's "Nguyễn Văn
Đức" (case and accents aside), and the declaration PDF then uses the registry's name, not the typed
one (the e-mail to the typed address, never confirmed, names nobody)."""

import subprocess

import pytest
from django.core.files.storage import default_storage

from accounts.services.registration import registration_build_declaration
from notifications.models import Message
from tests.conftest import require_tool

from .helpers import make_person, submit

pytestmark = pytest.mark.usefixtures("reference_data")


def test_the_declaration_and_its_email_use_the_registrys_name(db, django_capture_on_commit_callbacks, mailoutbox):
    require_tool("pdftotext", "poppler-utils")
    person = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(person, full_name="nguyen van duc", email="duc@example.vn")
    assert registration.full_name == "nguyen van duc"  # kept as typed, for the officer's comparison
    registration_build_declaration(registration_id=registration.pk)  # built on commit already, or now
    registration.refresh_from_db()
    with default_storage.open(registration.declaration_pdf.name) as pdf:
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.read(), capture_output=True, check=True).stdout.decode()
    assert "Nguyễn Văn Đức" in text and "nguyen van duc" not in text
    message = Message.objects.get(template="registration_declaration", channel=Message.Channel.EMAIL)
    assert "Nguyễn Văn Đức" not in message.body and "nguyen van duc" not in message.body
