"""A gateway that refuses the message itself is not asked again; other failures are retried."""

import pytest

from notifications.models import Message
from notifications.services import send_message

from .gateway import FakeGateway


def sms(key):
    return send_message(channel=Message.Channel.SMS, template="welcome", recipient="+84912345678",
                        context={"name": "Nguyễn Văn Đức", "code": "7901234567"}, idempotency_key=key)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", [400, 413, 422])
def test_a_message_the_gateway_refuses_is_given_up_after_one_try(settings, status):
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    with FakeGateway(fail_next=100, fail_status=status) as gateway:
        settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        message = sms(f"refused-{status}")
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 1
    assert f"HTTP {status}" in message.last_error
    assert len(gateway.requests) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", [401, 404, 429, 503])
def test_a_gateway_answer_about_set_up_or_load_is_retried(settings, status):
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    with FakeGateway(fail_next=2, fail_status=status) as gateway:
        settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        message = sms(f"retried-{status}")
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 3
    assert [r["status"] for r in gateway.requests] == [status, status, 202]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_gateway_address_answering_with_a_redirect_is_not_taken_for_a_sent_message(settings, status):
    """urllib would follow the redirect of a POST with a GET (an http:// address of an https
    gateway, a moved URL) and take the 200 of whatever page it finds there for the SMS sent."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    seen = []

    class Moved(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(("POST", self.path))
            self.send_response(status)
            self.send_header("Location", "/trang-chu")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            seen.append(("GET", self.path))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Moved)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.NOTIFICATION_MAX_ATTEMPTS = 1
        settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_address[1]}/sms"
        message = sms(f"moved-{status}")
    finally:
        server.shutdown()
        server.server_close()
    message.refresh_from_db()
    assert (message.status, message.sent_at) == (Message.Status.FAILED, None)
    assert f"HTTP {status}" in message.last_error
    assert seen == [("POST", "/sms")]
