"""Two copies of one delivery task (a redelivery with acks_late, the sweep's copy, a duplicate
enqueue): the copy that claims the message first tries; the other, finding the claim live, neither
counts an attempt nor sends, and comes back once the claim would have run out, to take over a dead
worker's message, and only that."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from notifications import services
from notifications.models import Message
from notifications.services import message_deliver, retry_delay
from notifications.tasks import deliver_message
from tests.db_locks import run_into

pytestmark = pytest.mark.django_db(transaction=True)


def pending_sms(key, **fields):
    return Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="welcome",
                                  body="Xin chào Nguyễn Văn Đức", idempotency_key=key, **fields)


class Gateway:
    """Stands for the backend: records each send, fails them when told to."""

    def __init__(self, fails=False):
        self.sends = []
        self.fails = fails

    def __call__(self, message):
        self.sends.append(message.pk)
        if self.fails:
            raise OSError("gateway away")


@pytest.mark.parametrize("outcome", ["sent", "failed"])
@pytest.mark.parametrize("when", ["before the gateway call", "after the gateway call"])
def test_a_copy_started_during_another_copys_try_neither_counts_nor_sends(monkeypatch, settings, when, outcome):
    """Copy 2 claims between copy 1's claim and its call of the gateway, or between that call and
    the try's end being written: each real try is counted once and made once."""
    settings.NOTIFICATION_MAX_ATTEMPTS = 2  # a try counted twice would give the message up
    gateway = Gateway(fails=outcome == "failed")
    message = pending_sms("race")
    second, in_transaction = [], []

    def copy_1_sends(sending):
        in_transaction.append(connection.in_atomic_block)
        if when == "before the gateway call":
            second.append(message_deliver(message_id=sending.pk))
        try:
            gateway(sending)
        finally:
            if when == "after the gateway call":
                second.append(message_deliver(message_id=sending.pk))

    monkeypatch.setattr(services, "_send", copy_1_sends)
    first = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert gateway.sends == [message.pk]
    assert message.attempts == 1 and message.claimed_until is None
    assert in_transaction == [False]  # no row lock held over the gateway call
    [backed_off] = second
    assert backed_off.waiting_for and 0 < backed_off.retry_in <= settings.NOTIFICATION_CLAIM_SECONDS + 1
    if outcome == "sent":
        assert (message.status, first.retry_in) == (Message.Status.SENT, None)
    else:
        assert (message.status, first.retry_in) == (Message.Status.PENDING, retry_delay(1))
    # Copy 2 back at the claim's end finds it released: copy 1's try ended, its own retry follows.
    back = message_deliver(message_id=message.pk, waiting_for=backed_off.waiting_for)
    assert back.retry_in is None
    message.refresh_from_db()
    assert gateway.sends == [message.pk] and message.attempts == 1


def test_two_copies_started_together_send_once_and_count_one_attempt(monkeypatch, sms_outbox):
    """Both copies start at once; the one that claims first is held at the gateway until the other
    has ended, which it does without waiting for a lock, counting or sending."""
    message = pending_sms("together")
    start = threading.Barrier(2, timeout=10)
    ended = threading.Event()
    real_send = services._send

    def held_at_the_gateway(sending):
        assert ended.wait(10), "the other copy waited on this one's gateway call"
        real_send(sending)

    monkeypatch.setattr(services, "_send", held_at_the_gateway)
    outcome = {}

    def run(name):
        start.wait()
        run_into(outcome, name, lambda: message_deliver(message_id=message.pk))
        ended.set()

    copies = [threading.Thread(target=run, args=(name,)) for name in ("redelivered", "sweep's")]
    for thread in copies:
        thread.start()
    for thread in copies:
        thread.join(20)
    assert not any(isinstance(result, Exception) for result in outcome.values()), outcome
    message.refresh_from_db()
    assert len(sms_outbox()) == 1
    assert (message.status, message.attempts) == (Message.Status.SENT, 1)
    assert sorted(result.waiting_for is not None for result in outcome.values()) == [False, True]


def test_a_live_claim_keeps_a_redelivered_task_from_sending(sms_outbox):
    """The task that finds the claim live comes back once for its end (at once when eager) and,
    finding it live still, leaves the message to the run that holds it."""
    message = pending_sms("live", attempts=1, claimed_until=timezone.now() + timedelta(minutes=1))
    assert deliver_message.apply(args=[message.pk]).successful()
    message.refresh_from_db()
    assert sms_outbox() == []
    assert (message.status, message.attempts) == (Message.Status.PENDING, 1)


def ran_out():
    return timezone.now() - timedelta(seconds=1)


def test_a_dead_workers_claim_is_taken_over_once_it_has_run_out(sms_outbox):
    claim = ran_out()
    message = pending_sms("dead", attempts=1, claimed_until=claim)
    assert deliver_message.apply(args=[message.pk], kwargs={"waiting_for": claim.isoformat()}).successful()
    message.refresh_from_db()
    assert len(sms_outbox()) == 1
    assert (message.status, message.attempts, message.claimed_until) == (Message.Status.SENT, 2, None)


class Killed(BaseException):
    """What a delivery sees of SIGKILL: nothing after it runs."""


def test_a_take_over_that_ends_its_worker_is_waited_for_by_its_own_redelivery(monkeypatch, sms_outbox):
    """The task handed out again after a take-over died still says which claim it waited for: it
    finds the take-over's own claim instead, and waits for that one too rather than leave the
    message."""
    first_claim = ran_out()
    message = pending_sms("dead-twice", attempts=1, claimed_until=first_claim)

    def ends_its_process(sending):
        raise Killed

    with monkeypatch.context() as dying:
        dying.setattr(services, "_send", ends_its_process)
        with pytest.raises(Killed):
            message_deliver(message_id=message.pk, waiting_for=first_claim)
    message.refresh_from_db()
    assert message.attempts == 2 and message.claimed_until > timezone.now()

    redelivered = message_deliver(message_id=message.pk, waiting_for=first_claim)
    assert (redelivered.waiting_for, sms_outbox()) == (message.claimed_until, [])
    Message.objects.filter(pk=message.pk).update(claimed_until=ran_out())  # this one dead too
    message_deliver(message_id=message.pk, waiting_for=redelivered.waiting_for)
    message.refresh_from_db()
    assert len(sms_outbox()) == 1
    assert (message.status, message.attempts) == (Message.Status.SENT, 3)
