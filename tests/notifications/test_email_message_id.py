"""An e-mail retried after an SMTP timeout (the server took it, its answer was lost) reaches the
server twice: both copies carry the same Message-ID, made from the message's row and the portal's
domain, so that mail servers and programs drop the second; two messages never share one."""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from notifications.models import Message
from notifications.services import message_deliver

pytestmark = pytest.mark.django_db


class TakesItThenTimesOut(EmailBackend):
    """The locmem backend, whose first send is taken by the server and then times out."""

    timed_out = False

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        if not TakesItThenTimesOut.timed_out:
            TakesItThenTimesOut.timed_out = True
            raise TimeoutError("timed out")
        return sent


@pytest.fixture
def times_out_once(settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{__name__}.TakesItThenTimesOut"
    monkeypatch.setattr(TakesItThenTimesOut, "timed_out", False)


def pending_email(key):
    return Message.objects.create(channel=Message.Channel.EMAIL, recipient="duc@example.vn", template="welcome",
                                  subject="Chào mừng", body="Xin chào Nguyễn Văn Đức", idempotency_key=key)


def message_ids():
    return [email.message()["Message-ID"] for email in mail.outbox]


def test_an_email_sent_again_after_a_lost_answer_carries_the_same_message_id(times_out_once):
    message = pending_email("mail-timeout")
    first = message_deliver(message_id=message.pk)
    assert first.retry_in is not None  # the timeout is a failed try, retried as before
    message_deliver(message_id=message.pk)  # the retry
    message.refresh_from_db()
    assert (message.status, message.attempts, len(mail.outbox)) == (Message.Status.SENT, 2, 2)
    [one, again] = message_ids()
    assert one == again


def test_two_messages_have_two_message_ids_on_the_portals_domain(settings):
    settings.PORTAL_PUBLIC_URL = "https://dichvucong.vss.gov.vn"
    for key in ("mail-a", "mail-b"):
        message_deliver(message_id=pending_email(key).pk)
    ids = message_ids()
    assert len(set(ids)) == 2
    assert all(id_.startswith("<") and id_.endswith("@dichvucong.vss.gov.vn>") for id_ in ids)


def test_without_a_public_address_the_message_id_is_on_the_senders_domain(settings):
    settings.PORTAL_PUBLIC_URL = ""
    settings.DEFAULT_FROM_EMAIL = "Cổng dịch vụ BHXH số <no-reply@vssid.example.vn>"
    message_deliver(message_id=pending_email("mail-c").pk)
    [message_id] = message_ids()
    assert message_id.endswith("@vssid.example.vn>")
