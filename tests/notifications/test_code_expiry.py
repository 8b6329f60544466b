"""A one-time code lives 5 minutes (its message's `expires_at`): one that can no longer be typed in
time, run out or with less than NOTIFICATION_MIN_USEFUL_SECONDS left when its delivery runs (late
after a worker's death, a gateway's retries), is not sent but given up, recorded as failed with why
and its text cleared, as every message given up is."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Message
from notifications.services import REDACTED, message_deliver
from notifications.tasks import deliver_message

pytestmark = pytest.mark.django_db


def pending_code(key, *, left: timedelta, **fields):
    return Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="otp_login",
                                  body="Mã đăng nhập của bạn là 654321", idempotency_key=key, sensitive=True,
                                  expires_at=timezone.now() + left, **fields)


@pytest.mark.parametrize("left", [timedelta(seconds=-1), timedelta(0), timedelta(seconds=30), timedelta(seconds=59)],
                         ids=["run out", "running out", "half a minute left", "just under a minute left"])
def test_a_code_that_could_not_be_typed_in_time_is_not_sent_and_is_recorded_as_given_up(sms_outbox, left):
    message = pending_code("otp-late", left=left)
    delivery = message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert sms_outbox() == [] and delivery.retry_in is None
    assert (message.status, message.sent_at, message.attempts, message.claimed_until) == (
        Message.Status.FAILED, None, 0, None)
    assert "hết hạn" in message.last_error.lower()
    assert message.body == REDACTED


def test_a_code_with_more_than_a_minute_left_is_sent(sms_outbox):
    message = pending_code("otp-in-time", left=timedelta(seconds=70))
    message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert [sms["text"] for sms in sms_outbox()] == ["Mã đăng nhập của bạn là 654321"]
    assert message.status == Message.Status.SENT


def test_the_time_a_code_needs_left_is_a_setting(settings, sms_outbox):
    settings.NOTIFICATION_MIN_USEFUL_SECONDS = 120
    message = pending_code("otp-two-minutes", left=timedelta(seconds=100))
    message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (sms_outbox(), message.status) == ([], Message.Status.FAILED)
    assert message.last_error.startswith("Chỉ còn ") and "không gửi" in message.last_error


def test_a_dead_workers_code_taken_over_too_late_to_be_typed_is_not_sent(sms_outbox):
    """The worker sending it died; its hold ran out with under a minute of the code left: the run
    that takes the message over gives it up instead of sending a code that arrives useless."""
    claim = timezone.now() - timedelta(seconds=1)
    message = pending_code("otp-dead-worker", left=timedelta(seconds=40), attempts=1, claimed_until=claim)
    assert deliver_message.apply(args=[message.pk], kwargs={"waiting_for": claim.isoformat()}).successful()
    message.refresh_from_db()
    assert sms_outbox() == []
    assert (message.status, message.attempts, message.claimed_until) == (Message.Status.FAILED, 1, None)
    assert message.body == REDACTED


def test_a_message_without_an_end_is_sent_whenever_its_delivery_runs(sms_outbox):
    message = Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="welcome",
                                     body="Xin chào Nguyễn Văn Đức", idempotency_key="no-end")
    message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (len(sms_outbox()), message.status) == (1, Message.Status.SENT)
