"""A Celery worker is killed (SIGKILL) while it delivers an SMS to a gateway that hangs: the task
was acknowledged late, so it is delivered again — by the pool at once when only the child process
died (reject_on_worker_lost), by the next worker once the Redis visibility timeout has passed
when the whole worker died — and the message reaches the gateway exactly once."""

import os
import signal
import time
from pathlib import Path

import pytest
import redis

from notifications.models import Message
from public_services.models import Filing
from tests.conftest import missing, running_worker, wait_for, worker_unavailable
from tests.faults.services import queue_sms, replace_in_workers, unacknowledged, waiting
from tests.notifications.gateway import FakeGateway
from tests.public_services.helpers import owner, submit  # noqa: F401
from vssid_portal.celery import app

pytestmark = [pytest.mark.faults, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 2  # seconds; production keeps an hour
CLAIM_SECONDS = 3


@pytest.fixture
def hanging_gateway(settings, monkeypatch, transactional_db):
    reason = worker_unavailable()
    if reason:
        missing(reason)
    with FakeGateway() as gateway:
        settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.2
        monkeypatch.setenv("SMS_GATEWAY_TIMEOUT", "60")  # the worker waits on the gateway until it is killed
        monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", str(VISIBILITY_TIMEOUT))
        # The killed try's hold on its message runs out this soon (production: past the gateway's timeout).
        monkeypatch.setenv("NOTIFICATION_CLAIM_SECONDS", str(CLAIM_SECONDS))
        gateway.hang()
        yield gateway


def pool_children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_a_killed_pool_process_gives_its_task_back_at_once(settings, hanging_gateway):
    with running_worker(settings, pool="prefork") as worker:
        message = queue_sms("killed-child")
        wait_for(lambda: hanging_gateway.hanging, timeout=60)  # the child is inside the delivery
        [child] = pool_children(worker.pid)
        os.kill(child, signal.SIGKILL)
        # The pool notices the lost child and puts the task back; a new child takes it, finds the
        # killed try's hold on the message, and comes back once that has run out to call the
        # gateway again, while the first call still hangs there.
        wait_for(lambda: hanging_gateway.hanging == 2, timeout=60)
        assert pool_children(worker.pid) not in ([], [child])
        hanging_gateway.release()  # both hung calls end in 504; the task's own retry then succeeds
        wait_for(lambda: Message.objects.get(pk=message.pk).status == Message.Status.SENT, timeout=60)

    assert hanging_gateway.delivered() == ["killed-child"]
    assert [r["status"] for r in hanging_gateway.requests] == [504, 504, 202]
    message.refresh_from_db()
    assert message.attempts == 3  # the killed try counts, as the hung one and the good one


def test_a_killed_worker_task_is_delivered_again_by_the_next_worker(settings, hanging_gateway):
    broker = redis.Redis.from_url(app.conf.broker_url)
    with running_worker(settings) as worker:
        message = queue_sms("killed-worker")
        wait_for(lambda: hanging_gateway.hanging, timeout=60)
        worker.kill()
        worker.wait(timeout=20)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.PENDING, 1)  # the killed try counted, nothing else
    [taken_at] = unacknowledged(broker).values()  # not acknowledged: Redis still holds the task
    hanging_gateway.release()
    wait_for(lambda: time.time() > taken_at + VISIBILITY_TIMEOUT, timeout=VISIBILITY_TIMEOUT + 5)

    with running_worker(settings):
        wait_for(lambda: Message.objects.get(pk=message.pk).status == Message.Status.SENT, timeout=60)

    message.refresh_from_db()
    assert message.attempts == 2
    assert hanging_gateway.delivered() == ["killed-worker"]
    assert [r["status"] for r in hanging_gateway.requests] == [504, 202]
    assert unacknowledged(broker) == {}


KILLS_ITS_PROCESS = """
import os, signal

def render_pdf(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def _send(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_build_that_kills_its_worker_every_time_is_given_up_not_handed_out_for_ever(
        settings, monkeypatch, tmp_path, owner):
    """Each death puts the task back (reject_on_worker_lost) and a new pool process takes it at
    once: without a limit this loops for ever. The attempts are counted before each render, so
    after JOB_MAX_ATTEMPTS renders the next delivery gives the declaration up and is acknowledged."""
    reason = worker_unavailable()
    if reason:
        missing(reason)
    log = replace_in_workers(monkeypatch, tmp_path, "public_services.services.declarations.render_pdf", KILLS_ITS_PROCESS)
    monkeypatch.setenv("JOB_MAX_ATTEMPTS", "3")  # the worker's setting
    settings.JOB_MAX_ATTEMPTS = 3  # this process's
    broker = redis.Redis.from_url(app.conf.broker_url)

    with running_worker(settings, pool="prefork") as worker:
        filing = submit(owner)  # its build is queued when the submit commits
        wait_for(lambda: Filing.objects.get(pk=filing.pk).pdf_attempts == 4, timeout=90)
        wait_for(lambda: unacknowledged(broker) == {}, timeout=30)
        assert waiting(broker) == 0  # nothing is left to hand out
        assert worker.poll() is None  # the worker itself lived on, with a new pool process each time

    renders = log.read_text().split()
    assert len(renders) == 3 and len(set(renders)) == 3  # three renders, each in a process of its own
    filing = Filing.objects.get(pk=filing.pk)
    assert (filing.pdf_attempts, filing.pdf_given_up, filing.declaration_pdf.name) == (4, True, "")


def test_a_message_whose_sending_kills_its_worker_every_time_is_given_up(settings, monkeypatch, tmp_path):
    """The same loop for the outbox: each delivery is counted before the backend is called, so
    after NOTIFICATION_MAX_ATTEMPTS deaths the next delivery marks the message failed, sends
    nothing and is acknowledged; the worker goes on with the next message. The task handed out
    again after each death finds the dead try's claim and takes the message over once it has
    run out."""
    reason = worker_unavailable()
    if reason:
        missing(reason)
    log = replace_in_workers(monkeypatch, tmp_path, "notifications.services._send", KILLS_ITS_PROCESS)
    monkeypatch.setenv("NOTIFICATION_MAX_ATTEMPTS", "3")  # the worker's setting
    monkeypatch.setenv("NOTIFICATION_CLAIM_SECONDS", str(CLAIM_SECONDS))  # each death's hold runs out, then taken over
    broker = redis.Redis.from_url(app.conf.broker_url)

    with running_worker(settings, pool="prefork") as worker:
        message = queue_sms("kills-its-worker")
        wait_for(lambda: Message.objects.get(pk=message.pk).status == Message.Status.FAILED, timeout=90)
        wait_for(lambda: unacknowledged(broker) == {}, timeout=30)
        assert waiting(broker) == 0  # nothing is left to hand out
        assert worker.poll() is None

    sends = log.read_text().split()
    assert len(sends) == 3 and len(set(sends)) == 3  # three tries, each in a process of its own
    message.refresh_from_db()
    assert (message.attempts, message.sent_at) == (3, None)
    assert message.last_error == "Đã thử gửi 3 lần; lần cuối dừng giữa chừng."
