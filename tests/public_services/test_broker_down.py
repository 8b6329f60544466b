"""A submit while Celery cannot reach its broker: the filing is saved and the citizen sees it;
the declaration PDF and the SMS/e-mail notices are produced once the worker is reachable again,
by the periodic sweeps (celery beat) — through a real worker on Redis where Redis and
PostgreSQL are at hand (always in CI), in-process otherwise."""

import datetime
from contextlib import contextmanager

import pytest
from django.utils import timezone

from notifications.models import Message
from notifications.tasks import redispatch_pending_messages
from public_services.models import Filing
from public_services.tasks import build_missing_filing_declarations
from tests.conftest import wait_for
from vssid_portal.celery import app

from .helpers import citizen
from .test_pages import page, submit_through_pages

pytestmark = pytest.mark.django_db(transaction=True)


def _reset_pools():
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_unreachable():
    """Publishing goes to a port where nothing listens, as when Redis is down."""
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:9/0", False
    _reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        _reset_pools()


def test_submit_while_the_broker_is_down_then_the_worker_catches_up(client, reference_data, task_worker, sms_outbox):
    owner = citizen()
    client.force_login(owner)
    with broker_unreachable():
        _key, response = submit_through_pages(client)
        assert response.status_code == 302
        filing = Filing.objects.get()
        html = page(client, f"/dich-vu-cong/ho-so/{filing.pk}/")
        assert filing.tracking_number in html and "Tờ khai đang được tạo." in html

    filing = Filing.objects.get()
    assert not filing.pdf_ready
    delivered = Message.objects.exclude(channel=Message.Channel.INBOX)
    assert delivered.count() == 2 and set(delivered.values_list("status", flat=True)) == {Message.Status.PENDING}
    assert Message.objects.filter(channel=Message.Channel.INBOX, user=owner).count() == 1  # written, not sent
    assert sms_outbox() == []

    # The broker is back: the beat's sweeps find what is missing.
    Message.objects.update(updated_at=timezone.now() - datetime.timedelta(minutes=30))
    build_missing_filing_declarations.delay()
    redispatch_pending_messages.delay()
    wait_for(lambda: Filing.objects.get().pdf_ready, timeout=60)
    wait_for(lambda: not Message.objects.filter(status=Message.Status.PENDING).exists(), timeout=60)
    assert [message["to"] for message in sms_outbox()] == ["+84912345678"]
    assert filing.tracking_number in sms_outbox()[0]["text"]
    assert "Tải tờ khai (PDF)" in page(client, f"/dich-vu-cong/ho-so/{filing.pk}/")
