"""A gateway that refuses the message itself is not asked again; other failures are retried."""

import pytest

from notifications.models import Message
from notifications.services import send_message

from .gateway import FakeGateway


def sms(key):
    return send_message(channel=Message.Channel.SMS, template="welcome", recipient="+84912345678",
                        context={"name": "Nguyễn Văn Đức", "code": "7901234567"}, idempotency_key=key)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", [400, 413, 422])
def test_a_message_the_gateway_refuses_is_given_up_after_one_try(settings, status):
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    with FakeGateway(fail_next=100, fail_status=status) as gateway:
        settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        message = sms(f"refused-{status}")
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 1
    assert f"HTTP {status}" in message.last_error
    assert len(gateway.requests) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", [401, 404, 429, 503])
def test_a_gateway_answer_about_set_up_or_load_is_retried(settings, status):
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    with FakeGateway(fail_next=2, fail_status=status) as gateway:
        settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        message = sms(f"retried-{status}")
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 3
    assert [r["status"] for r in gateway.requests] == [status, status, 202]
