"""A PDF render that hangs does not hold a worker for ever (CELERY_TASK_SOFT_TIME_LIMIT,
CELERY_TASK_TIME_LIMIT): at the soft limit the task is told to stop and fails like any error;
a render deaf to that is ended at the hard limit. Either way the filing's row lock is released,
the task is not handed out again, and the worker goes on with the next message — a one-time
code waiting behind the render is delivered."""

import pytest
import redis
from django.db import transaction

from notifications.models import Message
from public_services.models import Filing
from public_services.tasks import build_filing_declaration
from tests.conftest import missing, running_worker, wait_for, worker_unavailable
from tests.faults.services import queue_sms, replace_in_workers, unacknowledged, waiting
from tests.public_services.helpers import owner, submit  # noqa: F401
from vssid_portal.celery import app

pytestmark = [pytest.mark.faults, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

HANGS = """
import time

def render_pdf(*args, **kwargs):
    time.sleep(600)
"""

HANGS_DEAF_TO_THE_SOFT_LIMIT = """
import time
from celery.exceptions import SoftTimeLimitExceeded

def render_pdf(*args, **kwargs):
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            time.sleep(deadline - time.monotonic())
        except SoftTimeLimitExceeded:
            pass
"""


@pytest.fixture
def short_limits(monkeypatch):
    """Soft 2 s, hard 4 s. A task's limits travel in its message, set by the process that queues
    it from the same settings (Celery reads them into each task), so they are set on the task here
    as well as in the worker's settings."""
    reason = worker_unavailable()
    if reason:
        missing(reason)
    monkeypatch.setenv("CELERY_TASK_SOFT_TIME_LIMIT", "2")
    monkeypatch.setenv("CELERY_TASK_TIME_LIMIT", "4")
    monkeypatch.setattr(build_filing_declaration, "soft_time_limit", 2)
    monkeypatch.setattr(build_filing_declaration, "time_limit", 4)
    monkeypatch.setattr(build_filing_declaration, "_exec_options", None)  # Celery's cache of the two


def row_is_unlocked(filing: Filing) -> bool:
    with transaction.atomic():
        return Filing.objects.select_for_update(skip_locked=True).filter(pk=filing.pk).exists()


@pytest.mark.parametrize("render", [HANGS, HANGS_DEAF_TO_THE_SOFT_LIMIT], ids=["soft-limit", "hard-limit"])
def test_a_hanging_render_is_stopped_and_the_next_message_goes_out(settings, monkeypatch, tmp_path, owner, sms_outbox,
                                                                     short_limits, render):
    log = replace_in_workers(monkeypatch, tmp_path, "public_services.services.declarations.render_pdf", render)
    broker = redis.Redis.from_url(app.conf.broker_url)
    with running_worker(settings, pool="prefork") as worker:
        filing = submit(owner)  # its build is queued when the submit commits
        wait_for(lambda: log.read_text(), timeout=60)  # the render has begun, holding the row
        assert not row_is_unlocked(filing)
        code = queue_sms("behind-the-render")  # a code queued behind it, on the one pool process
        # Sent once the limit ends the render (4 s here), long before the render's 600 s.
        wait_for(lambda: Message.objects.get(pk=code.pk).status == Message.Status.SENT, timeout=30)
        assert row_is_unlocked(filing)
        wait_for(lambda: unacknowledged(broker) == {}, timeout=30)
        assert waiting(broker) == 0  # not handed out again: nothing is left to hand out
        assert worker.poll() is None

    assert len(log.read_text().split()) == 1  # rendered once: the limit is a failure, not a re-delivery
    filing = Filing.objects.get(pk=filing.pk)
    assert (filing.pdf_attempts, filing.pdf_ready) == (1, False)  # left to the sweep, with attempts to spare
    assert [sms["id"] for sms in sms_outbox()].count("behind-the-render") == 1
