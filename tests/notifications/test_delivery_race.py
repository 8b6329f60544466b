"""Two copies of one delivery task starting together (the sweep's and a redelivered one) both count
an attempt before either takes the message's lock: the copy that then finds nothing left to do, or
another copy counted after it, gives its attempt back, so one real try is counted once."""

import functools
import threading

import pytest

from notifications import services
from notifications.models import Message
from notifications.services import message_deliver
from tests.db_locks import run_into

pytestmark = pytest.mark.django_db(transaction=True)


def race(monkeypatch, message, lock_order):
    """Start "first" then "second", each held once its attempt is counted; let them go on to the
    lock and the send in `lock_order`. Returns what each ended with."""
    real = services.attempt_begun
    counted = {name: threading.Event() for name in ("first", "second")}
    go = {name: threading.Event() for name in ("first", "second")}

    def counting(queryset, field):
        name = threading.current_thread().name
        attempts = real(queryset, field)
        counted[name].set()
        assert go[name].wait(10)
        return attempts

    monkeypatch.setattr(services, "attempt_begun", counting)
    outcome = {}
    run = functools.partial(run_into, outcome)
    copies = {}
    for name in ("first", "second"):
        copies[name] = threading.Thread(target=run, args=(name, lambda: message_deliver(message_id=message.pk)),
                                        name=name)
        copies[name].start()
        assert counted[name].wait(10)
    for name in lock_order:
        go[name].set()
        copies[name].join(15)
    assert not any(isinstance(result, Exception) for result in outcome.values()), outcome
    message.refresh_from_db()
    return outcome


def pending_sms(key):
    return Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="welcome",
                                  body="Xin chào Nguyễn Văn Đức", idempotency_key=key)


@pytest.mark.parametrize("lock_order", [("first", "second"), ("second", "first")])
def test_two_copies_of_one_delivery_send_once_and_count_one_attempt(monkeypatch, sms_outbox, lock_order):
    message = pending_sms("race-sent")
    race(monkeypatch, message, lock_order)
    assert len(sms_outbox()) == 1
    assert (message.status, message.attempts) == (Message.Status.SENT, 1)


def test_a_failed_try_raced_by_a_second_copy_is_not_given_up_as_if_it_were_the_last(monkeypatch, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    tries = []

    def failing(message):
        tries.append(message.pk)
        raise OSError("gateway away")

    monkeypatch.setattr(services, "_send", failing)
    message = pending_sms("race-failed")
    outcome = race(monkeypatch, message, ("first", "second"))
    assert len(tries) == 1
    assert (message.status, message.attempts) == (Message.Status.PENDING, 1)  # one try made, one left
    assert [should_retry for _, should_retry in outcome.values()].count(True) == 1
