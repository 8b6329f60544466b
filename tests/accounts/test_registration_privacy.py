"""What a registration gives away, and to whom: the SMS that it was received does not hold both keys
to its status page, which asks the birth date too and offers the declaration PDF only while the
registration waits for a decision; the e-mail to a typed address, never confirmed, carries neither the
declaration nor the registrant's identity."""

import pytest
from django.test import Client

from accounts.models import Registration
from accounts.services import registration as registration_services
from notifications.models import Message

from .helpers import make_person, officer, register, submit

pytestmark = pytest.mark.usefixtures("reference_data")

LOOKUP = "/dang-ky/tra-cuu/"


@pytest.fixture
def person(db, reference_data):
    return make_person()


def the_officer():
    return officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")


def test_the_sms_that_a_registration_was_received_does_not_carry_the_bhxh_code(client, person):
    register(client)
    registration = Registration.objects.get()
    sms = Message.objects.get(template="registration_received")
    assert registration.reference in sms.body and registration.bhxh_code not in sms.body


def test_the_reference_and_the_code_alone_do_not_open_the_status_page(client, person):
    """What the SMS held, and the code its holder's employer or family knows: the lookup asks the birth
    date typed in the registration too, and answers a wrong one as it answers an unknown reference."""
    register(client)
    registration = Registration.objects.get()
    stranger = Client()
    keys = {"reference": registration.reference, "bhxh_code": registration.bhxh_code}
    assert stranger.post(LOOKUP, keys).status_code == 200
    wrong = stranger.post(LOOKUP, {**keys, "birth_date": "16/03/1988"})
    unknown = stranger.post(LOOKUP, {**keys, "reference": "DK0000AAAAAA", "birth_date": "15/03/1988"})
    assert wrong.status_code == unknown.status_code == 200
    assert all("Không tìm thấy đăng ký" in response.content.decode() for response in (wrong, unknown))
    found = stranger.post(LOOKUP, {**keys, "birth_date": "15/03/1988"})
    assert found.status_code == 302 and stranger.get(found["Location"]).status_code == 200


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_the_declaration_is_offered_only_while_the_registration_waits_for_a_decision(
        client, person, decision, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        link = register(client)["Location"]
    registration = Registration.objects.get()
    assert registration.declaration_pdf
    assert "Tải tờ khai đăng ký (PDF)" in client.get(link).content.decode()
    if decision == "approve":
        registration_services.registration_approve(registration=registration, officer=the_officer())
    else:
        registration_services.registration_reject(registration=registration, officer=the_officer(), reason="Ảnh mờ")
    page = client.get(link).content.decode()
    assert "Tải tờ khai đăng ký (PDF)" not in page and "/tep/" not in page


def test_the_email_to_the_typed_address_carries_no_declaration_nor_identity(db, person,
                                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(person, email="duc@example.vn")
    registration_services.registration_build_declaration(registration_id=registration.pk)  # built already, or now
    message = Message.objects.get(channel=Message.Channel.EMAIL, recipient="duc@example.vn")
    assert message.attachment == ""
    assert registration.reference in message.body
    for identity in (person.full_name, person.bhxh_code, person.id_number):
        assert identity not in message.body and identity not in message.subject
