"""A delivery ended by the task's hard time limit is acknowledged, not handed out again (the PDF
tasks rely on that): its hold on the message (claimed_until) runs out with nobody to take it over.
The sweeps dispatch such a message at once, a one-time code among them, instead of leaving it to
the sweep of lost tasks 10 minutes late; a message held by a live try, or waiting for the backoff
of an ordinary failed try, is left alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Message
from notifications.services import messages_redispatch_lapsed_holds, messages_redispatch_pending

pytestmark = pytest.mark.django_db(transaction=True)

SWEEPS = [messages_redispatch_lapsed_holds, messages_redispatch_pending]


def pending_code(key, *, held_until, tried_ago=timedelta(seconds=61)):
    """A login code whose one try began `tried_ago` (its hold written then) and holds it until `held_until`."""
    now = timezone.now()
    message = Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="otp_login",
                                     body="Mã đăng nhập của bạn là 654321", idempotency_key=key, sensitive=True,
                                     expires_at=now + timedelta(minutes=4), attempts=1, claimed_until=held_until)
    Message.objects.filter(pk=message.pk).update(updated_at=now - tried_ago)  # auto_now set it on create
    return message


@pytest.mark.parametrize("sweep", SWEEPS, ids=lambda sweep: sweep.__name__)
def test_a_code_whose_try_was_killed_is_sent_once_its_hold_has_run_out(sms_outbox, sweep):
    message = pending_code("otp-killed", held_until=timezone.now() - timedelta(seconds=1))
    assert sweep() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.claimed_until) == (Message.Status.SENT, 2, None)
    assert [sms["id"] for sms in sms_outbox()] == ["otp-killed"]
    assert sweep() == 0


@pytest.mark.parametrize("sweep", SWEEPS, ids=lambda sweep: sweep.__name__)
def test_a_code_held_by_a_try_in_progress_is_left_to_it(sms_outbox, sweep):
    held_until = timezone.now() + timedelta(seconds=30)
    message = pending_code("otp-held", held_until=held_until, tried_ago=timedelta(minutes=30))
    assert sweep() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts, message.claimed_until) == (Message.Status.PENDING, 1, held_until)
    assert sms_outbox() == []


def test_the_sweep_of_lapsed_holds_leaves_a_failed_try_to_its_backoff(sms_outbox):
    """An ordinary failed try released its hold and waits for its retry: not this sweep's."""
    message = pending_code("otp-failed", held_until=None, tried_ago=timedelta(minutes=30))
    assert messages_redispatch_lapsed_holds() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.PENDING, 1)
    assert sms_outbox() == []
