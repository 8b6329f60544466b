"""A delivery's edges: a one-time code with exactly the time it needs left (NOTIFICATION_MIN_USEFUL_SECONDS)
is still sent, one with a second less is not, and none at the instant it expires (the clock held
still); a try whose failure comes after its claim ran out leaves the message to the run that took it
over."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from notifications import services
from notifications.models import Message
from notifications.services import message_deliver

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)


def pending_code(key, *, expires_at):
    return Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="otp_login",
                                  body="Mã đăng nhập của bạn là 654321", idempotency_key=key, sensitive=True,
                                  expires_at=expires_at)


def test_a_code_with_exactly_the_time_it_needs_left_is_sent_and_one_with_a_second_less_is_not(settings, sms_outbox):
    needed = timedelta(seconds=settings.NOTIFICATION_MIN_USEFUL_SECONDS)
    just_enough = pending_code("otp-just-enough", expires_at=NOW + needed)
    short = pending_code("otp-a-second-short", expires_at=NOW + needed - timedelta(seconds=1))
    with time_machine.travel(NOW, tick=False):
        message_deliver(message_id=just_enough.pk)
        message_deliver(message_id=short.pk)
    just_enough.refresh_from_db()
    short.refresh_from_db()
    assert [sms["id"] for sms in sms_outbox()] == ["otp-just-enough"]
    assert (just_enough.status, short.status) == (Message.Status.SENT, Message.Status.FAILED)


def test_a_code_is_not_sent_at_the_instant_it_expires_even_when_no_time_is_asked_left(settings, sms_outbox):
    settings.NOTIFICATION_MIN_USEFUL_SECONDS = 0
    expiring = pending_code("otp-expiring-now", expires_at=NOW)
    with time_machine.travel(NOW, tick=False):
        message_deliver(message_id=expiring.pk)
    expiring.refresh_from_db()
    assert sms_outbox() == []
    assert expiring.status == Message.Status.FAILED and "hết hạn" in expiring.last_error.lower()


def test_a_failed_try_that_outlived_its_claim_leaves_the_message_to_the_run_that_took_it_over(monkeypatch, settings,
                                                                                             sms_outbox):
    """The gateway hung past the try's claim; another run took the message over and is sending it.
    The first try's failure, when it comes, neither releases that run's claim nor schedules a
    retry of its own, nor records its error: the message is the other run's to finish."""
    message = Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="welcome",
                                     body="Xin chào Nguyễn Văn Đức", idempotency_key="outlived")
    taken_over = []

    def hangs_past_its_claim(sending):
        until = timezone.now() + timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
        Message.objects.filter(pk=sending.pk).update(attempts=F("attempts") + 1, claimed_until=until)
        taken_over.append(until)
        raise OSError("gateway timed out")

    monkeypatch.setattr(services, "_send", hangs_past_its_claim)
    delivery = message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert delivery.retry_in is None
    assert (message.status, message.attempts, message.claimed_until, message.last_error) == (
        Message.Status.PENDING, 2, taken_over[0], "")
