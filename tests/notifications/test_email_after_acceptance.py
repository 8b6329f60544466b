"""An e-mail the SMTP server has accepted is sent: an error in closing the connection after that
(a timeout or a reset during QUIT, the soft time limit arriving then) is not a failed try, which
would have the message sent again, up to NOTIFICATION_MAX_ATTEMPTS copies. An error before the
server accepted it still is."""

import smtplib

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail.backends.smtp import EmailBackend

from notifications.models import Message
from notifications.services import message_deliver

pytestmark = pytest.mark.django_db


class SmtpServer:
    """Stands for smtplib.SMTP's connection to a mail server: records what it accepts, and fails
    QUIT, or the sending itself, as told."""

    accepted: list = []
    quits: list = []
    quit_fails: Exception | None = None
    sending_fails: Exception | None = None

    def __init__(self, host, port, **kwargs):
        pass

    def sendmail(self, from_addr, to_addrs, msg):
        if SmtpServer.sending_fails:
            raise SmtpServer.sending_fails
        SmtpServer.accepted.append(to_addrs)
        return {}

    def quit(self):
        SmtpServer.quits.append(True)
        if SmtpServer.quit_fails:
            raise SmtpServer.quit_fails

    def close(self):
        pass


class StubSmtpBackend(EmailBackend):
    """Django's SMTP backend, its connection to the stub server."""

    @property
    def connection_class(self):
        return SmtpServer


@pytest.fixture
def smtp(settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{__name__}.StubSmtpBackend"
    monkeypatch.setattr(SmtpServer, "accepted", [])
    monkeypatch.setattr(SmtpServer, "quits", [])
    return SmtpServer


def pending_email(key):
    return Message.objects.create(channel=Message.Channel.EMAIL, recipient="duc@example.vn", template="welcome",
                                  subject="Chào mừng", body="Xin chào Nguyễn Văn Đức", idempotency_key=key)


@pytest.mark.parametrize("error", [TimeoutError("timed out"), ConnectionResetError("reset by peer"),
                                   smtplib.SMTPResponseException(421, b"closing"), SoftTimeLimitExceeded()],
                         ids=["timeout", "reset", "smtp error", "soft time limit"])
def test_an_email_accepted_then_failing_on_quit_is_sent_once(smtp, monkeypatch, error):
    monkeypatch.setattr(SmtpServer, "quit_fails", error)
    message = pending_email("mail-quit")
    delivery = message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error, delivery.retry_in) == (
        Message.Status.SENT, 1, "", None)
    assert smtp.accepted == [["duc@example.vn"]] and smtp.quits == [True]


def test_an_email_accepted_is_sent_and_its_connection_closed(smtp):
    message = pending_email("mail-ok")
    message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENT, 1)
    assert smtp.accepted == [["duc@example.vn"]] and smtp.quits == [True]


def test_an_email_the_server_did_not_accept_is_a_failed_try(smtp, monkeypatch):
    monkeypatch.setattr(SmtpServer, "sending_fails", TimeoutError("timed out"))
    message = pending_email("mail-timeout")
    delivery = message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Message.Status.PENDING, 1, "timed out")
    assert delivery.retry_in is not None
    assert smtp.accepted == [] and smtp.quits == [True]  # the connection closed all the same
