"""Redis stops while 100 citizens submit a filing each (a citizen has one filing of a procedure
in hand at a time): every filing is committed and each citizen sees it (sessions, cache and broker
all live in that Redis); once Redis is back, a real
worker runs the beat's sweeps — twice, as two beat ticks before the worker catches up would — and
each declaration PDF and each notice (in-portal, SMS, e-mail) exists exactly once."""

import datetime
from collections import Counter
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from notifications.models import Message
from notifications.tasks import redispatch_pending_messages
from public_services.models import Filing
from public_services.tasks import build_missing_filing_declarations
from tests.conftest import missing, running_worker, wait_for, worker_unavailable
from tests.public_services.helpers import citizen
from tests.public_services.test_pages import page, submit_through_pages
from vssid_portal.celery import app

from .services import redis_server

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

FILINGS = 100


def reset_broker_pools():
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def own_redis(settings, monkeypatch):
    """The portal's cache and Celery broker on a Redis of the test's own, which it may stop;
    the worker started by running_worker uses it too."""
    reason = worker_unavailable()
    if reason:
        missing(reason)
    with redis_server() as redis:
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": redis.url()}}
        monkeypatch.setenv("REDIS_URL", redis.url())
        saved = app.conf.broker_url, app.conf.task_always_eager
        app.conf.broker_url, app.conf.task_always_eager = redis.url(), False
        reset_broker_pools()
        try:
            yield redis
        finally:
            app.conf.broker_url, app.conf.task_always_eager = saved
            reset_broker_pools()


def submit_and_read_status(client) -> str:
    """One filing through the citizen's pages; returns the tracking number the citizen was shown."""
    _key, response = submit_through_pages(client)
    assert response.status_code == 302
    filing = Filing.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    html = page(client, response["Location"])
    assert filing.tracking_number in html and "Tờ khai đang được tạo." in html
    return filing.tracking_number


def test_filings_submitted_while_redis_is_down_are_kept_and_finished_exactly_once(
        reference_data, own_redis, settings, sms_outbox):
    mail_dir = Path(settings.SMS_FILE_PATH).parent / "email"  # where running_worker's worker writes e-mail
    owners = [citizen(code=f"79{number:08d}", name="Nguyễn Văn Đức", id_number=f"0790880{number:05d}")
              for number in range(FILINGS)]
    clients = [Client() for _ in owners]
    for client, owner in zip(clients, owners, strict=True):
        client.force_login(owner)

    own_redis.stop()
    shown = [submit_and_read_status(client) for client in clients]

    assert sorted(shown) == sorted(Filing.objects.values_list("tracking_number", flat=True))
    assert len(set(shown)) == FILINGS
    assert not any(filing.pdf_ready for filing in Filing.objects.all())
    outbox = Message.objects.exclude(channel=Message.Channel.INBOX)
    assert outbox.count() == 2 * FILINGS  # an SMS and an e-mail per filing, waiting
    assert set(outbox.values_list("status", flat=True)) == {Message.Status.PENDING}
    assert sms_outbox() == [] and not mail_dir.exists()

    own_redis.start()
    with running_worker(settings):
        # Ten minutes later: the beat's sweeps run, and run again before the worker is done.
        Message.objects.update(updated_at=timezone.now() - datetime.timedelta(minutes=30))
        for _tick in range(2):
            build_missing_filing_declarations.delay()
            redispatch_pending_messages.delay()
        wait_for(lambda: not outbox.filter(status=Message.Status.PENDING).exists(), timeout=120)
        wait_for(lambda: all(filing.pdf_ready for filing in Filing.objects.all()), timeout=120)

    # Every PDF once: rendered once per filing (the sweeps queued more builds than filings), one
    # file per filing, the one the filing points to.
    assert set(Filing.objects.values_list("pdf_attempts", flat=True)) == {1}
    pdfs = sorted(Path(settings.PRIVATE_FILES_ROOT).glob("filings/*/*.pdf"))
    assert len(pdfs) == FILINGS and all(pdf.read_bytes().startswith(b"%PDF-") for pdf in pdfs)
    assert {p.relative_to(settings.PRIVATE_FILES_ROOT).as_posix() for p in pdfs} == {
        filing.declaration_pdf.name for filing in Filing.objects.all()}
    # Every notice once.
    assert set(outbox.values_list("status", "attempts")) == {(Message.Status.SENT, 1)}
    sms_keys = Counter(sms["id"] for sms in sms_outbox())
    assert set(sms_keys.values()) == {1}
    assert set(sms_keys) == set(outbox.filter(channel=Message.Channel.SMS).values_list("idempotency_key", flat=True))
    # The file backend appends each message followed by a line of dashes (two may share a file).
    separator = "\n" + "-" * 79 + "\n"
    mails = [mail for path in mail_dir.iterdir() for mail in path.read_text(encoding="utf-8").split(separator)
             if mail.strip()]
    assert len(mails) == FILINGS
    assert sorted(number for mail in mails for number in shown if number in mail) == sorted(shown)
    inbox = Message.objects.filter(channel=Message.Channel.INBOX)
    assert sorted(inbox.values_list("user", flat=True)) == sorted(owner.pk for owner in owners)
    first = Filing.objects.select_related("submitted_by").first()
    reader = clients[[owner.pk for owner in owners].index(first.submitted_by_id)]
    assert "Tải tờ khai (PDF)" in page(reader, f"/dich-vu-cong/ho-so/{first.pk}/")
