"""The outbox: one row per message, delivery on commit, retries with backoff, never twice."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from notifications.models import Message
from notifications.services import message_deliver, retry_delay, send_message
from notifications.tasks import deliver_message
from tests.conftest import wait_for

from .gateway import FakeGateway


def sms(key="otp-1", to="+84912345678", **kwargs):
    return send_message(channel=Message.Channel.SMS, template="welcome", recipient=to,
                        context={"name": "Nguyễn Văn Đức", "code": "7901234567"}, idempotency_key=key, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_message_is_written_then_delivered_after_commit(sms_outbox):
    with transaction.atomic():
        message = sms()
        assert sms_outbox() == []  # nothing leaves before the commit
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    [sent] = sms_outbox()
    assert sent["to"] == "+84912345678"
    assert "Nguyễn Văn Đức" in sent["text"] and "7901234567" in sent["text"]


@pytest.mark.django_db(transaction=True)
def test_console_backend_writes_the_sms_to_the_log(settings, caplog):
    settings.SMS_BACKEND = "notifications.sms.ConsoleSmsBackend"
    with caplog.at_level("INFO", logger="notifications.sms"):
        message = sms(key="console-1")
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    [line] = [record.getMessage() for record in caplog.records if record.name == "notifications.sms"]
    assert "+84912345678" in line and "console-1" in line and "Nguyễn Văn Đức" in line


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(sms_outbox):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        sms()
        raise Boom
    assert Message.objects.count() == 0
    assert sms_outbox() == []


@pytest.mark.django_db(transaction=True)
def test_same_idempotency_key_makes_one_message_and_one_sms(sms_outbox):
    first, second = sms(key="reg-42"), sms(key="reg-42")
    assert first.pk == second.pk
    assert Message.objects.count() == 1
    assert len(sms_outbox()) == 1


@pytest.mark.django_db(transaction=True)
def test_running_the_delivery_task_again_does_not_send_twice(sms_outbox):
    message = sms()
    deliver_message.apply(args=[message.pk])
    deliver_message.apply(args=[message.pk])
    message_deliver(message_id=message.pk)
    assert len(sms_outbox()) == 1
    message.refresh_from_db()
    assert message.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_gateway_failure_is_retried_until_delivered(settings):
    with FakeGateway(fail_next=2) as gateway:
        settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_GATEWAY_TOKEN = "test-token"
        message = sms(key="otp-retry")
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 3
    assert len(gateway.requests) == 3
    request = gateway.requests[-1]
    assert request["headers"]["Authorization"] == "Bearer test-token"
    assert request["headers"]["Idempotency-Key"] == "otp-retry"
    assert request["body"]["to"] == "+84912345678"
    assert "Nguyễn Văn Đức" in request["body"]["text"]


@pytest.mark.django_db(transaction=True)
def test_gateway_that_keeps_failing_marks_the_message_failed(settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    with FakeGateway(fail_next=100) as gateway:
        settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        message = sms(key="otp-dead")
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 3
    assert "HTTP 500" in message.last_error
    assert len(gateway.requests) == 3


@pytest.mark.django_db(transaction=True)
def test_unreachable_gateway_is_a_retryable_failure(settings):
    settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"  # discard port: connection refused
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    message = sms(key="otp-unreachable")
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 2  # retried, then given up at the cap
    assert "unreachable" in message.last_error


def test_backoff_doubles_and_is_capped(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(20) == 3600


@pytest.mark.django_db(transaction=True)
def test_email_goes_through_django_mail(mailoutbox):
    send_message(channel=Message.Channel.EMAIL, template="welcome", recipient="duc@example.vn",
                 context={"name": "Nguyễn Văn Đức", "code": "7901234567"}, idempotency_key="mail-1")
    [mail] = mailoutbox
    assert mail.to == ["duc@example.vn"]
    assert mail.subject == "Chào mừng bạn đến với Cổng dịch vụ BHXH số"
    assert "7901234567" in mail.body


@pytest.fixture
def flaky_gateway(settings):
    """A gateway failing every second call, configured before the worker starts."""
    with FakeGateway(fail_every=2) as gateway:
        settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_GATEWAY_TOKEN = "worker-token"
        settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.2
        yield gateway


@pytest.mark.celery_worker
def test_real_worker_delivers_each_message_exactly_once_through_a_flaky_gateway(flaky_gateway, celery_worker):
    keys = [f"worker-{n}" for n in range(10)]
    with transaction.atomic():
        for key in keys:
            sms(key=key)
    wait_for(lambda: Message.objects.filter(status=Message.Status.SENT).count() == len(keys), timeout=60)
    assert sorted(flaky_gateway.delivered()) == sorted(keys)  # each accepted exactly once
    assert len(flaky_gateway.requests) > len(keys)  # the failures were retried
    assert Message.objects.filter(attempts__gt=1).exists()
    assert {r["headers"]["Authorization"] for r in flaky_gateway.requests} == {"Bearer worker-token"}


@pytest.mark.django_db
def test_in_portal_notices_show_unread_count_and_belong_to_their_user(client):
    user_model = get_user_model()
    owner = user_model.objects.create_user("7901234567", password="x-Pass-2026!")
    other = user_model.objects.create_user("7909999999", password="x-Pass-2026!")
    notice = send_message(channel=Message.Channel.INBOX, template="welcome", user=owner,
                          context={"name": "Đức", "code": "7901234567"}, idempotency_key="inbox-1")
    assert notice.status == Message.Status.SENT

    client.force_login(owner)
    page = client.get("/thong-bao/")
    assert page.status_code == 200
    assert '<span class="badge">1' in page.content.decode()
    assert "Chào mừng bạn đến với Cổng dịch vụ BHXH số" in page.content.decode()
    assert client.get(f"/thong-bao/{notice.pk}/").status_code == 200
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert '<span class="badge">' not in client.get("/thong-bao/").content.decode()

    client.force_login(other)
    assert client.get(f"/thong-bao/{notice.pk}/").status_code == 404


@pytest.mark.django_db
def test_notices_require_login(client):
    response = client.get("/thong-bao/")
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/")


@pytest.mark.django_db(transaction=True)
def test_sweep_dispatches_messages_left_pending_by_a_broker_outage(sms_outbox):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.services import messages_redispatch_pending

    stuck = Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="welcome",
                                   body="Mã xác thực: 123456", idempotency_key="stuck-1")
    fresh = Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="welcome",
                                   body="Mã xác thực: 654321", idempotency_key="fresh-1")
    Message.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - timedelta(minutes=30))
    assert messages_redispatch_pending() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == Message.Status.SENT
    assert fresh.status == Message.Status.PENDING  # may still be in flight: left alone
    assert [m["text"] for m in sms_outbox()] == ["Mã xác thực: 123456"]
    assert messages_redispatch_pending() == 0


@pytest.mark.django_db(transaction=True)
def test_sweep_leaves_a_message_alone_until_its_retry_is_due(settings, sms_outbox):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.services import messages_redispatch_pending

    settings.NOTIFICATION_MAX_ATTEMPTS = 10
    waiting = Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="welcome",
                                     body="Mã xác thực: 123456", idempotency_key="waiting-1", attempts=6)
    # The 6th try failed 20 minutes ago: its retry is due 16 minutes after it, 4 minutes ago, and
    # its task is not yet 10 minutes late.
    failed_at = timezone.now() - timedelta(minutes=20)
    Message.objects.filter(pk=waiting.pk).update(updated_at=failed_at)
    assert retry_delay(6) == 16 * 60
    assert messages_redispatch_pending() == 0
    waiting.refresh_from_db()
    assert waiting.status == Message.Status.PENDING and waiting.attempts == 6
    assert sms_outbox() == []

    # Its task lost: 10 minutes after the retry was due, the sweep sends it.
    Message.objects.filter(pk=waiting.pk).update(updated_at=failed_at - timedelta(minutes=7))
    assert messages_redispatch_pending() == 1
    waiting.refresh_from_db()
    assert waiting.status == Message.Status.SENT and waiting.attempts == 7
    assert [m["text"] for m in sms_outbox()] == ["Mã xác thực: 123456"]


@pytest.mark.django_db(transaction=True)
def test_sensitive_message_text_is_erased_once_delivered(sms_outbox):
    message = send_message(channel=Message.Channel.SMS, template="registration_approved", recipient="+84912345678",
                           context={"registration": {"reference": "DK1", "bhxh_code": "7901234567"}, "password": "Abc123xyz789"},
                           idempotency_key="secret-1", sensitive=True)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert "Abc123xyz789" not in message.body
    assert "Abc123xyz789" in sms_outbox()[0]["text"]


@pytest.mark.django_db(transaction=True)
def test_a_sensitive_message_given_up_loses_its_text_too(settings):
    settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    message = send_message(channel=Message.Channel.SMS, template="otp_login", recipient="+84912345678",
                           context={"code": "123456", "minutes": 5}, idempotency_key="otp-dead", sensitive=True)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and "123456" not in message.body


@pytest.mark.django_db(transaction=True)
def test_an_expired_message_is_dropped_not_sent_late(sms_outbox):
    from datetime import timedelta

    from django.utils import timezone

    with transaction.atomic():
        message = send_message(channel=Message.Channel.SMS, template="otp_login", recipient="+84912345678",
                               context={"code": "654321", "minutes": 5}, idempotency_key="otp-late", sensitive=True,
                               expires_at=timezone.now() - timedelta(seconds=1))
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and "Hết hạn" in message.last_error
    assert sms_outbox() == [] and "654321" not in message.body


@pytest.mark.django_db
def test_unread_count_is_cached_and_follows_every_change(client):
    """The header's count is read once, then from the cache; a new notice, a deleted one and a
    read one each show on the very next page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owner = get_user_model().objects.create_user("7901234567", password="x-Pass-2026!")

    def notice(key):
        return send_message(channel=Message.Channel.INBOX, template="welcome", user=owner,
                            context={"name": "Đức", "code": "7901234567"}, idempotency_key=key)

    def badge():
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/").content.decode()
        counted = sum('COUNT(*)' in q["sql"] and "notifications_message" in q["sql"] for q in queries)
        return (html.split('<span class="badge">', 1)[1].split("<", 1)[0] if '<span class="badge">' in html else "0"), counted

    first = notice("inbox-a")
    client.force_login(owner)
    assert badge() == ("1", 1)
    assert badge() == ("1", 0)  # from the cache
    second = notice("inbox-b")
    assert badge() == ("2", 1)
    second.delete()
    assert badge() == ("1", 1)
    assert badge() == ("1", 0)  # the user and the count come from the cache together
    page = client.get(f"/thong-bao/{first.pk}/").content.decode()
    assert '<span class="badge">' not in page  # read: that very page counts afresh
    assert badge()[0] == "0"


@pytest.mark.django_db
def test_the_development_inbox_is_closed_unless_debug(client, settings):
    """It needs no login and lists the latest SMS and e-mails of every user: a 404 in production,
    to a visitor and to a logged-in citizen alike."""
    sms(key="dev-inbox-sms", to="+84987654321")
    send_message(channel=Message.Channel.EMAIL, template="welcome", recipient="duc@example.vn",
                 context={"name": "Nguyễn Văn Đức", "code": "7901234567"}, idempotency_key="dev-inbox-mail")
    citizen = get_user_model().objects.create_user("7909999999", password="x-Pass-2026!")
    logged_in = type(client)()
    logged_in.force_login(citizen)

    settings.DEBUG = False
    for visitor in (client, logged_in):
        response = visitor.get("/thong-bao/hop-thu-thu-nghiem/")
        html = response.content.decode()
        assert response.status_code == 404
        assert "+84987654321" not in html and "duc@example.vn" not in html and "7901234567" not in html

    settings.DEBUG = True  # the control: the same page in development shows both messages
    html = client.get("/thong-bao/hop-thu-thu-nghiem/").content.decode()
    assert "<h1>Hộp thư thử nghiệm</h1>" in html
    assert "+84987654321" in html and "duc@example.vn" in html and "7901234567" in html



DEV_INBOX_TEXTS = [  # (Vietnamese, English): the title, the notice, the table's name and headings, a status
    ("<h1>Hộp thư thử nghiệm</h1>", "<h1>Test inbox</h1>"),
    ("Chỉ có ở chế độ phát triển: SMS và email mà cổng đã gửi, mới nhất trước.",
     "In development only: the SMS and emails the portal has sent, newest first."),
    ('aria-label="Các tin nhắn đã gửi"', 'aria-label="Messages sent"'),
    ('<th scope="col">Thời gian</th><th scope="col">Kênh</th><th scope="col">Người nhận</th>'
     '<th scope="col">Nội dung</th><th scope="col">Trạng thái</th>',
     '<th scope="col">Time</th><th scope="col">Channel</th><th scope="col">Recipient</th>'
     '<th scope="col">Message</th><th scope="col">Status</th>'),
    ("<td>Đang chờ gửi</td>", "<td>Waiting to be sent</td>"),  # delivered on commit, which this test has none of
]


@pytest.mark.django_db
def test_the_development_inbox_speaks_the_language_chosen(client, settings):
    """Its texts were Vietnamese on the English portal, the only page left untranslated."""
    settings.DEBUG = True
    sms(key="dev-inbox-en", to="+84987654321")
    vietnamese = client.get("/thong-bao/hop-thu-thu-nghiem/").content.decode()
    assert [vi for vi, _ in DEV_INBOX_TEXTS if vi not in vietnamese] == []
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/thong-bao/hop-thu-thu-nghiem/").content.decode()
    assert [en for _, en in DEV_INBOX_TEXTS if en not in english] == []
    assert [vi for vi, _ in DEV_INBOX_TEXTS if vi in english] == []
    Message.objects.all().delete()
    assert "<td colspan=\"5\">No messages yet.</td>" in client.get("/thong-bao/hop-thu-thu-nghiem/").content.decode()

@pytest.mark.django_db
def test_marking_all_notices_read_marks_only_ones_own(client):
    user_model = get_user_model()
    owner = user_model.objects.create_user("7901234567", password="x-Pass-2026!")
    other = user_model.objects.create_user("7909999999", password="x-Pass-2026!")

    def notice(user, key):
        return send_message(channel=Message.Channel.INBOX, template="welcome", user=user,
                            context={"name": "Đức", "code": user.username}, idempotency_key=key)

    own = [notice(owner, "own-1"), notice(owner, "own-2")]
    others = [notice(other, "other-1"), notice(other, "other-2")]
    client.force_login(owner)
    response = client.post("/thong-bao/da-doc/")
    assert response.status_code == 302 and response["Location"] == "/thong-bao/"
    assert Message.objects.filter(pk__in=[m.pk for m in own], read_at__isnull=False).count() == 2
    assert Message.objects.filter(pk__in=[m.pk for m in others], read_at__isnull=True).count() == 2
    assert '<span class="badge">' not in client.get("/thong-bao/").content.decode()
    client.force_login(other)
    assert '<span class="badge">2' in client.get("/thong-bao/").content.decode()


class UnreadableGateway:
    """A gateway (or a proxy before it) whose answer is not HTTP: http.client cannot parse it."""

    def __init__(self):
        import socket
        import threading

        self.hits = 0
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/sms"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                self.hits += 1
                connection.sendall(b"GARBAGE\r\n\r\n")

    def close(self):
        self.socket.close()


@pytest.mark.django_db(transaction=True)
def test_an_unreadable_gateway_answer_counts_as_an_attempt_and_ends_failed(settings):
    gateway = UnreadableGateway()
    try:
        settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.NOTIFICATION_MAX_ATTEMPTS = 3
        message = sms(key="otp-garbage")
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Message.Status.FAILED, 3)
        assert "unreadable" in message.last_error
        assert gateway.hits == 3
        message_deliver(message_id=message.pk)  # a late redelivery sends nothing more
        assert gateway.hits == 3
    finally:
        gateway.close()


@pytest.mark.django_db(transaction=True)
def test_any_unexpected_backend_failure_is_counted_not_retried_for_ever(settings, monkeypatch, caplog):
    from notifications import sms as sms_backends

    calls = []

    def broken(self, *, to, text, idempotency_key):
        calls.append(idempotency_key)
        raise ValueError("a bug in a backend")

    monkeypatch.setattr(sms_backends.FileSmsBackend, "send", broken)
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    message = sms(key="otp-bug")
    message.refresh_from_db()
    assert (message.status, message.attempts, len(calls)) == (Message.Status.FAILED, 2, 2)
    assert "unexpected delivery failure" in caplog.text


class Killed(BaseException):
    """What a delivery sees of SIGKILL: nothing after it runs and its transaction is lost."""


@pytest.mark.django_db(transaction=True)
def test_each_try_is_counted_before_sending_so_tries_that_end_their_process_end_in_failure(settings, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from notifications import services

    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    message = Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="welcome",
                                     body="Mật khẩu tạm: 123456", sensitive=True, idempotency_key="killed")
    tries = []

    def ends_its_process(message):
        tries.append(message.pk)
        raise Killed

    monkeypatch.setattr(services, "_send", ends_its_process)
    for _ in range(2):
        with pytest.raises(Killed):
            message_deliver(message_id=message.pk)
        # The dead worker's claim runs out (settings.NOTIFICATION_CLAIM_SECONDS) before its task is taken over.
        Message.objects.filter(pk=message.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.PENDING, 2)  # both counted despite the rollback

    message_deliver(message_id=message.pk)  # the next delivery gives up without calling the backend
    message.refresh_from_db()
    assert tries == [message.pk, message.pk]
    assert (message.status, message.attempts, message.sent_at) == (Message.Status.FAILED, 2, None)
    assert message.last_error == "Đã thử gửi 2 lần; lần cuối dừng giữa chừng."
    assert message.body == services.REDACTED


@pytest.mark.django_db
def test_the_mark_all_address_reached_by_get_marks_nothing_and_shows_the_notices(client):
    """After a login that began with "Đánh dấu tất cả là đã đọc" on an ended session, the login
    page comes back to that address with a GET: the notices, not a 405."""
    owner = get_user_model().objects.create_user("7901234567", password="x-Pass-2026!")
    notice = send_message(channel=Message.Channel.INBOX, template="welcome", user=owner,
                          context={"name": "Đức", "code": owner.username}, idempotency_key="own")
    assert client.get("/thong-bao/da-doc/")["Location"].startswith("/tai-khoan/dang-nhap/?next=/thong-bao/da-doc/")
    client.force_login(owner)
    response = client.get("/thong-bao/da-doc/")
    assert response.status_code == 302 and response["Location"] == "/thong-bao/"
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("trang", ["0", "-1"])
def test_a_page_number_below_one_shows_the_first_page_of_notices(client, trang):
    owner = get_user_model().objects.create_user("7901234567", password="x-Pass-2026!")
    for number in range(25):
        send_message(channel=Message.Channel.INBOX, template="welcome", user=owner,
                     context={"name": f"Người {number}", "code": owner.username}, idempotency_key=f"n-{number}")
    client.force_login(owner)

    def page(query):
        html = client.get(f"/thong-bao/?trang={query}").content.decode()
        return re.search(r'<span aria-current="page"><span class="visually-hidden">Trang </span>(\d+)', html).group(1)

    assert page(trang) == page("1") == "1"


def test_the_sms_and_email_log_is_deleted_after_a_year_and_notices_stay(django_user_model):
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from notifications.services import OUTBOX_RETENTION, messages_delete_old

    user = django_user_model.objects.create_user(username="7901234567", password="x-Pass-2026!")

    def message(key, channel=Message.Channel.SMS, status=Message.Status.SENT, age=OUTBOX_RETENTION + timedelta(days=1)):
        row = Message.objects.create(channel=channel, recipient="" if channel == Message.Channel.INBOX else "+84912345678",
                                     user=user, template="welcome", body="Nội dung", status=status, idempotency_key=key)
        Message.objects.filter(pk=row.pk).update(updated_at=timezone.now() - age)
        return key

    old = {message("sms-sent"), message("sms-failed", status=Message.Status.FAILED),
           message("email-sent", channel=Message.Channel.EMAIL)}
    kept = {message("sms-pending", status=Message.Status.PENDING),  # not delivered yet: the sweep's
            message("sms-recent", age=OUTBOX_RETENTION - timedelta(days=1)),
            message("notice-old", channel=Message.Channel.INBOX)}
    assert messages_delete_old() == len(old)
    assert set(Message.objects.values_list("idempotency_key", flat=True)) == kept
    assert messages_delete_old() == 0
    assert settings.CELERY_BEAT_SCHEDULE["notifications-delete-old-messages"]["task"] == "notifications.tasks.delete_old_messages"


@pytest.mark.django_db
def test_the_outbox_page_of_a_message_waiting_to_go_hides_a_code_or_password(client):
    """A one-time code or temporary password waits in the outbox while the gateway is away: its
    page shows that the text is sensitive, not the text; an ordinary message shows its text."""
    client.force_login(get_user_model().objects.create_superuser("quantri", password="x-Pass-2026!"))
    code = Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="otp_login",
                                  body="804215 là mã xác thực đăng nhập Cổng BHXH số", sensitive=True,
                                  idempotency_key="otp-login-waiting")
    html = client.get(f"/quan-tri/notifications/message/{code.pk}/change/").content.decode()
    assert "804215" not in html and "Nội dung nhạy cảm" in html
    plain = Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="welcome",
                                   body="Xin chào Nguyễn Văn Đức", idempotency_key="welcome-waiting")
    assert "Xin chào Nguyễn Văn Đức" in client.get(f"/quan-tri/notifications/message/{plain.pk}/change/").content.decode()


@pytest.mark.django_db
def test_the_old_log_is_deleted_a_batch_at_a_time_not_read_whole_into_memory(django_user_model, monkeypatch):
    """A backlog of old SMS (the sweep stopped a while, the first run after a year) is deleted in
    bounded batches: the whole log is never loaded at once (a receiver of post_delete would
    otherwise make Django read every row before deleting)."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from notifications import services

    monkeypatch.setattr(services, "OUTBOX_DELETE_BATCH", 2)
    for number in range(5):
        Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="welcome",
                               body="Nội dung", status=Message.Status.SENT, idempotency_key=f"old-{number}")
    Message.objects.update(updated_at=timezone.now() - services.OUTBOX_RETENTION - timedelta(days=1))
    with CaptureQueriesContext(connection) as queries:
        assert services.messages_delete_old() == 5
    deletes = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("DELETE")]
    assert len(deletes) == 3 and not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_delivery_of_a_message_deleted_meanwhile_ends_quietly(sms_outbox, caplog):
    """A delivery task that comes after the yearly clean-up deleted its message (a redelivery, the
    sweep's copy) finds nothing to do and ends, instead of raising DoesNotExist in the worker."""
    message = Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="welcome",
                                     body="Xin chào", idempotency_key="deleted-meanwhile")
    message_id = message.pk
    message.delete()
    with caplog.at_level("INFO", logger="notifications.services"):
        result = deliver_message.apply(args=[message_id])
    assert result.successful(), result.traceback
    assert sms_outbox() == []
    assert f"message {message_id}" in caplog.text
