"""The SMS gateway misbehaves: failing half of the calls, every message still reaches it exactly
once; hanging, it holds a worker but never a citizen's web request."""

import urllib.request
from collections import Counter

import pytest
from django.db import transaction

from notifications.models import Message
from notifications.services import send_message
from tests.conftest import missing, running_worker, wait_for, worker_unavailable
from tests.notifications.gateway import FakeGateway
from tests.public_services.helpers import citizen, reauthenticated
from tests.public_services.test_pages import page, submit_through_pages

pytestmark = [pytest.mark.faults, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

MESSAGES = 40


@pytest.fixture
def gateway_backend(settings, monkeypatch, transactional_db):
    """The worker sends SMS over HTTP to a local gateway, retries fast and gives up late."""
    reason = worker_unavailable()
    if reason:
        missing(reason)

    def use(gateway):
        settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_GATEWAY_TOKEN = "fault-token"
        settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.2
        monkeypatch.setenv("NOTIFICATION_MAX_ATTEMPTS", "20")
        return settings

    return use


def test_a_gateway_failing_half_the_calls_gets_every_message_exactly_once(settings, gateway_backend):
    keys = [f"fault-sms-{n}" for n in range(MESSAGES)]
    with FakeGateway(fail_first_try=True) as gateway:
        with running_worker(gateway_backend(gateway)):
            with transaction.atomic():
                for key in keys:
                    send_message(channel=Message.Channel.SMS, template="welcome", recipient="+84912345678",
                                 context={"name": "Nguyễn Văn Đức", "code": "7901234567"}, idempotency_key=key)
            wait_for(lambda: not Message.objects.filter(status=Message.Status.PENDING).exists(), timeout=90)

    assert Counter(gateway.delivered()) == Counter(keys)  # each accepted once, none twice
    statuses = Counter(request["status"] for request in gateway.requests)
    assert statuses == {500: MESSAGES, 202: MESSAGES}  # half of the calls failed
    assert set(Message.objects.values_list("status", "attempts")) == {(Message.Status.SENT, 2)}


def test_a_hanging_gateway_holds_the_worker_not_the_web_request(client, reference_data, settings, monkeypatch,
                                                                gateway_backend):
    monkeypatch.setenv("SMS_GATEWAY_TIMEOUT", "1")  # the worker's
    owner = citizen()
    client.force_login(owner)
    reauthenticated(client)  # the authorisation filed second moves the benefits' money: the password again
    with FakeGateway() as gateway, running_worker(gateway_backend(gateway)):
        gateway.hang()
        first = submit_through_pages(client)[1]
        assert first.status_code == 302
        wait_for(lambda: gateway.hanging, timeout=60)  # the worker is stuck on the gateway now

        # while the gateway still has not answered (another procedure: the first filing is in hand);
        # the worker, another process, sends: the web side never calls the gateway itself.
        web_calls = []

        def web_side_open(opener, request, *args, **kwargs):
            web_calls.append(getattr(request, "full_url", request))
            raise OSError("the web request called the SMS gateway")

        with monkeypatch.context() as web_side:
            web_side.setattr(urllib.request.OpenerDirector, "open", web_side_open)
            _key, second = submit_through_pages(client, url="/dich-vu-cong/uy-quyen-nhan-thay/", code="UY-QUYEN")
        assert web_calls == [], "the web request called the gateway"
        assert gateway.hanging and second.status_code == 302
        assert "Đã nộp" in page(client, second["Location"])
        # The worker's own timeout gives up on the hung call and schedules a retry.
        wait_for(lambda: Message.objects.filter(last_error__contains="timed out").exists(), timeout=60)

        gateway.release()
        sms = Message.objects.filter(channel=Message.Channel.SMS)
        wait_for(lambda: sms.count() == 2 and not sms.filter(status=Message.Status.PENDING).exists(), timeout=60)

    assert Counter(gateway.delivered()) == Counter(sms.values_list("idempotency_key", flat=True))
    assert any(request["status"] == 504 for request in gateway.requests)
    assert set(sms.values_list("status", flat=True)) == {Message.Status.SENT}
