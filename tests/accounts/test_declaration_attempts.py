"""A registration declaration that cannot be built is tried at most JOB_MAX_ATTEMPTS times, then
given up: the sweep stops queueing it, the registrant is told the registration is kept, and an
officer of the receiving agency can start it again."""

from unittest import mock

import pytest

from accounts.models import Registration
from accounts.services import registration as services
from accounts.services.registration import files as registration_files
from accounts.tasks import build_missing_declarations
from notifications.models import Message

from .helpers import logged, make_person, officer, register

pytestmark = pytest.mark.django_db

QUEUE = "/quan-tri/accounts/registration/"
DISTRICT = "Cán bộ BHXH cơ sở"


def test_a_declaration_that_always_fails_is_given_up_then_an_officer_starts_it_again(
        client, reference_data, settings, django_capture_on_commit_callbacks):
    settings.JOB_MAX_ATTEMPTS = 2
    make_person()
    status_link = register(client)["Location"]  # its own build is not run: a task lost with the broker
    registration = Registration.objects.get()
    assert not registration.declaration_pdf and "Tờ khai đang được tạo." in client.get(status_link).content.decode()

    with mock.patch.object(registration_files, "render_pdf", side_effect=RuntimeError("cannot render")) as render:
        for _sweep in range(4):  # the beat's sweep, every 10 minutes
            build_missing_declarations()
        assert render.call_count == 2
    registration.refresh_from_db()
    assert registration.declaration_given_up and registration.pdf_attempts == 3
    assert services.registrations_missing_declarations() == []
    html = client.get(status_link).content.decode()
    assert "Chưa tạo được tờ khai." in html and "Tờ khai đang được tạo." not in html

    own, other = officer("canbo07901", "07901", DISTRICT), officer("canbo07902", "07902", DISTRICT)
    listed = logged(own).get(QUEUE + "?to_khai=chua_tao_duoc").content.decode()
    assert registration.reference in listed
    assert "Chưa tạo được." in logged(own).get(f"{QUEUE}{registration.pk}/change/").content.decode()
    action = {"action": "retry_declarations_selected", "_selected_action": [registration.pk]}
    logged(other).post(QUEUE, action)  # outside their agency: nothing starts
    assert Registration.objects.get().pdf_attempts == 3

    with django_capture_on_commit_callbacks(execute=True):
        response = logged(own).post(QUEUE, action, follow=True)
    assert "Đã bắt đầu tạo lại 1 tờ khai." in response.content.decode()
    registration.refresh_from_db()
    assert registration.declaration_pdf and registration.pdf_attempts == 1
    assert "Tải tờ khai đăng ký (PDF)" in client.get(status_link).content.decode()


def test_a_storage_outage_does_not_use_up_the_attempts(client, reference_data):
    from accounts.tasks import build_registration_declaration

    make_person()
    register(client)
    registration = Registration.objects.get()
    with mock.patch.object(registration_files, "render_pdf", side_effect=OSError(28, "No space left on device")):
        for _dispatch in range(3):  # the submit's task with its 5 retries, then two sweeps during the outage
            build_registration_declaration.delay(registration.pk)
    assert Registration.objects.get().pdf_attempts == 0
    build_missing_declarations()  # the storage is back: the next sweep builds it
    assert Registration.objects.get().declaration_pdf


def test_a_replaced_registration_is_not_listed_as_given_up(client, reference_data, settings):
    make_person()
    register(client)
    first = Registration.objects.get()
    register(client)  # registering again replaces the pending one
    Registration.objects.filter(pk=first.pk).update(pdf_attempts=settings.JOB_MAX_ATTEMPTS + 1)
    first.refresh_from_db()
    assert first.status == Registration.Status.REPLACED and not first.declaration_given_up
    listed = logged(officer("canbo07901", "07901", DISTRICT)).get(QUEUE + "?to_khai=chua_tao_duoc").content.decode()
    assert first.reference not in listed


@pytest.mark.parametrize(("decide", "said"), [
    (None, "Chưa tạo được tờ khai. Đăng ký của bạn đã được lưu và vẫn đang được xem xét"),
    ("approve", "Tờ khai chỉ tải được trong khi đăng ký chờ duyệt."),
    ("reject", "Tờ khai chỉ tải được trong khi đăng ký chờ duyệt."),
])
def test_what_the_registrant_is_told_of_a_given_up_declaration_follows_the_decision(
        client, reference_data, settings, decide, said):
    """A registration decided after its declaration was given up is not "still being considered", nor
    is a declaration to come promised: once decided, none is offered."""
    settings.JOB_MAX_ATTEMPTS = 2
    make_person()
    status_link = register(client)["Location"]
    registration = Registration.objects.get()
    Registration.objects.filter(pk=registration.pk).update(pdf_attempts=3)
    registration.refresh_from_db()
    assert registration.declaration_given_up
    own = officer("canbo07901", "07901", DISTRICT)
    if decide == "approve":
        services.registration_approve(registration=registration, officer=own)
    elif decide == "reject":
        services.registration_reject(registration=registration, officer=own, reason="Ảnh CCCD bị mờ.")
    html = client.get(status_link).content.decode()
    assert said in html
    assert decide is None or ("vẫn đang được xem xét" not in html and "Chưa tạo được tờ khai." not in html)


def test_a_declaration_lost_with_the_broker_is_built_by_the_sweep_after_the_officer_decided(
        client, reference_data):
    """The officer approves before the declaration's lost task was started again: the sweep still
    builds it, for the agency's dossier, and the registrant's page, which offers a declaration only
    while the registration waits, never says "being made"."""
    make_person()
    status_link = register(client)["Location"]  # its own build is not run: a task lost with the broker
    registration = Registration.objects.get()
    services.registration_approve(registration=registration, officer=officer("canbo07901", "07901", DISTRICT))
    assert "Tờ khai đang được tạo." not in client.get(status_link).content.decode()

    build_missing_declarations()  # the beat's sweep, 10 minutes later
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED and registration.declaration_pdf
    assert "Tải tờ khai đăng ký (PDF)" not in client.get(status_link).content.decode()
    # The e-mail that follows it does not promise a decision already sent.
    message = Message.objects.get(template="registration_declaration", channel=Message.Channel.EMAIL)
    assert registration.reference in message.body and not message.attachment
    assert "Kết quả duyệt sẽ được gửi" not in message.body


def test_the_declaration_mailed_before_the_decision_says_the_result_will_follow_by_sms(client, reference_data):
    make_person()
    register(client)
    build_missing_declarations()
    body = Message.objects.get(template="registration_declaration", channel=Message.Channel.EMAIL).body
    assert "Kết quả duyệt sẽ được gửi qua SMS đến số điện thoại đã đăng ký." in body


def test_the_sweep_goes_on_when_the_broker_refuses_one_declaration(caplog):
    """The broker blinks while the sweep queues: that declaration is logged and left to the next
    sweep, and the ones after it are still queued."""
    from kombu.exceptions import OperationalError

    from accounts import tasks

    with mock.patch.object(services, "registrations_missing_declarations", return_value=[11, 12]), \
            mock.patch.object(tasks.build_registration_declaration, "delay",
                              side_effect=[OperationalError("connection refused"), None]) as delay:
        tasks.build_missing_declarations()
    assert [call.args for call in delay.call_args_list] == [(11,), (12,)]
    assert any(record.levelname == "WARNING" and "(11,)" in record.getMessage() for record in caplog.records)
