"""A password reset's request does the same work whether the BHXH code has an account or not, so that
its time tells no account apart: the same queries, the same cache operations and one task queued; the
worker that runs the task alone looks the account up and sends the holder the code, which opens."""

import pytest
from celery import current_app
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import otp
from accounts.services import password_reset
from accounts.tasks import send_password_reset_code
from notifications.models import Message
from tests.accounts import test_otp
from tests.accounts.helpers import clear_of_window_ends, reset_request
from tests.accounts.test_otp import PHONE, codes_sent, make_citizen
from tests.accounts.test_sessions import RESET, RESET_CODE, RESET_NEW, wrong_code
from tests.conftest import wait_for
from vssid_portal.files import opened

pytestmark = pytest.mark.django_db(transaction=True)

fresh_cache = test_otp.fresh_cache  # the shared fixture; pytest finds it as an attribute of this module
clock = test_otp.clock

CACHE_OPERATIONS = ("add", "get", "set", "delete", "incr", "decr", "touch", "has_key", "get_many", "set_many",
                    "delete_many", "get_or_set")


@pytest.fixture
def queued(monkeypatch):
    """The tasks the reset's requests queue, kept instead of run: what the request itself does."""
    tasks = []

    def dispatch(task, *args, personal=False):
        assert personal, "a reset's task carries a BHXH code and an address, which no log may keep"
        tasks.append((task, args))

    monkeypatch.setattr(password_reset, "dispatch", dispatch, raising=False)
    return tasks


@pytest.fixture
def cache_operations(monkeypatch):
    """The names of the cache operations made while recording (a list that the test empties)."""
    made = []
    backend = caches["default"]

    def recorded(name, operation):
        def record(*args, **kwargs):
            made.append(name)
            return operation(*args, **kwargs)
        return record

    for name in CACHE_OPERATIONS:
        monkeypatch.setattr(backend, name, recorded(name, getattr(backend, name)))
    return made


def nonce_of(task_queued) -> str:
    """The code's nonce a queued reset task carries sealed."""
    _task, (text, *_rest) = task_queued
    return opened(text, salt=password_reset.QUEUED_SALT)["nonce"]


def ask_reset(code: str, address: str, cache_operations: list) -> tuple[Client, dict]:
    """A reset asked for `code` from `address` by a new browser: the browser and what its request did."""
    browser = Client()
    data = reset_request(code)
    del cache_operations[:]
    with CaptureQueriesContext(connection) as queries:
        response = browser.post(RESET, data, REMOTE_ADDR=address)
    assert response["Location"] == RESET_CODE
    return browser, {"queries": len(queries), "cache": list(cache_operations)}


def test_a_reset_request_does_the_same_work_for_an_account_and_an_unknown_bhxh_code(queued, cache_operations,
                                                                                     sms_outbox):
    user = make_citizen()
    ask_reset("7905555555", "10.0.9.9", cache_operations)  # the process's first request warms its caches
    holder, for_account = ask_reset(user.username, "10.0.9.1", cache_operations)
    stranger, for_unknown = ask_reset("7909999999", "10.0.9.2", cache_operations)

    assert for_account == for_unknown
    assert [task for task, _args in queued[1:]] == [send_password_reset_code] * 2
    assert not Message.objects.exists()  # nothing written for the account by the request

    for _task, args in queued:  # the worker's part
        send_password_reset_code(*args)
    assert [message.recipient for message in Message.objects.all()] == [PHONE]
    code = codes_sent(sms_outbox)[-1]
    page = stranger.post(RESET_CODE, {"action": "verify", "code": code}).content.decode()
    assert "Bạn còn 4 lần thử" in page
    assert holder.post(RESET_CODE, {"action": "verify", "code": code})["Location"] == RESET_NEW


def test_the_worker_sends_nothing_for_an_unknown_bhxh_code_nor_for_a_code_replaced_meanwhile(queued,
                                                                                             cache_operations,
                                                                                             sms_outbox):
    user = make_citizen()
    ask_reset("7909999999", "10.0.9.2", cache_operations)
    assert not password_reset.password_reset_code_send(subject="7909999999", nonce=nonce_of(queued[0]),
                                                       client="10.0.9.2")
    ask_reset(user.username, "10.0.9.1", cache_operations)
    assert not password_reset.password_reset_code_send(subject=user.username, nonce="another-nonce",
                                                       client="10.0.9.1")
    for _run in range(2):  # a task handed out again (acks_late) sends the code once
        assert password_reset.password_reset_code_send(subject=user.username, nonce=nonce_of(queued[1]),
                                                       client="10.0.9.1")
    assert len(codes_sent(sms_outbox)) == 1


def test_the_queued_task_carries_neither_the_bhxh_code_nor_the_client_s_address(queued, cache_operations,
                                                                                 sms_outbox):
    """The broker's message, which Redis writes to its disk (appendonly) and whose headers name the
    arguments (argsrepr), carries neither the BHXH code nor the address readable: the worker opens them."""
    user = make_citizen()
    ask_reset(user.username, "10.0.9.1", cache_operations)
    (task, args), = queued
    message = current_app.amqp.as_task_v2("a-task-id", task.name, args=args)
    said = f"{message.headers!r} {message.body!r}"
    assert user.username not in said and "10.0.9.1" not in said, said
    task(*args)  # the worker's part
    assert [message.recipient for message in Message.objects.all()] == [PHONE]
    assert len(codes_sent(sms_outbox)) == 1


def test_the_holder_receives_the_code_from_the_worker_and_it_opens(task_worker, sms_outbox):
    """With Redis and PostgreSQL present a real `celery worker` sends the code; otherwise the task runs
    in-process. An unknown BHXH code's reset sends nothing."""
    user = make_citizen()
    stranger = Client()
    assert stranger.post(RESET, reset_request("7909999999"))["Location"] == RESET_CODE
    holder = Client()
    assert holder.post(RESET, reset_request(user.username))["Location"] == RESET_CODE
    wait_for(lambda: codes_sent(sms_outbox), timeout=60)
    code = codes_sent(sms_outbox)[0]
    assert holder.post(RESET_CODE, {"action": "verify", "code": wrong_code(code)}).status_code == 200
    assert holder.post(RESET_CODE, {"action": "verify", "code": code})["Location"] == RESET_NEW
    new = "Mat-khau-sau-khi-quen-2026"
    holder.post(RESET_NEW, {"password1": new, "password2": new})
    user.refresh_from_db()
    assert user.check_password(new)
    assert Message.objects.filter(template="otp_password_reset").count() == 1  # none for the unknown BHXH code


def post_code(browser: Client, code: str, cache_operations: list) -> list[str]:
    """`code` typed on the reset's code page by `browser`, refused: the cache operations it made."""
    del cache_operations[:]
    page = browser.post(RESET_CODE, {"action": "verify", "code": code})
    assert page.status_code == 200 and "Mã xác thực không đúng" in page.content.decode()
    return list(cache_operations)


def run_worker(queued: list) -> None:
    """The queued tasks run, as the worker runs them, and forgotten."""
    for _task, args in queued:
        send_password_reset_code(*args)
    del queued[:]


def test_asking_again_and_typing_wrong_codes_do_the_same_work_for_an_account_and_an_unknown_bhxh_code(
        queued, cache_operations, sms_outbox, clock):
    """Once the worker has sent the holder's code, a reset asked again and a wrong code typed make the
    same cache operations for an account as for an unknown BHXH code, whose code the worker never sends:
    the second ask, wrong codes after it, and a third ask once the first code has expired."""
    user = make_citizen()
    clear_of_window_ends(clock, ("10.0.9.1", "10.0.9.2"), otp.LIFETIME + 60)
    ask_reset("7905555555", "10.0.9.9", cache_operations)  # the process's first request warms its caches
    ask_reset(user.username, "10.0.9.1", cache_operations)
    ask_reset("7909999999", "10.0.9.2", cache_operations)
    run_worker(queued)

    clock.advance(otp.RESEND_AFTER + 1)
    holder, second_for_account = ask_reset(user.username, "10.0.9.1", cache_operations)
    stranger, second_for_unknown = ask_reset("7909999999", "10.0.9.2", cache_operations)
    assert second_for_account == second_for_unknown
    run_worker(queued)
    wrong = wrong_code(codes_sent(sms_outbox)[-1])
    for _try in range(2):
        assert post_code(holder, wrong, cache_operations) == post_code(stranger, wrong, cache_operations)

    clock.advance(otp.LIFETIME - otp.RESEND_AFTER)  # the first codes have expired, the second live
    holder, third_for_account = ask_reset(user.username, "10.0.9.1", cache_operations)
    stranger, third_for_unknown = ask_reset("7909999999", "10.0.9.2", cache_operations)
    assert third_for_account == third_for_unknown
    run_worker(queued)
    code = codes_sent(sms_outbox)[-1]
    assert post_code(holder, wrong_code(code), cache_operations) == post_code(stranger, wrong_code(code),
                                                                              cache_operations)
    assert len(codes_sent(sms_outbox)) == 3
    assert holder.post(RESET_CODE, {"action": "verify", "code": code})["Location"] == RESET_NEW


def test_a_task_run_again_counts_the_phones_codes_once(queued, cache_operations, sms_outbox, clock):
    """A reset's task handed out again (a worker lost mid-send) sends its code once and counts it once
    against the phone's codes of the hour and the client's share of them (3 an hour): the holder's next
    reset from the same network is still sent."""
    user = make_citizen()
    ask_reset(user.username, "10.0.9.1", cache_operations)
    (_task, args), = queued
    for _run in range(3):
        send_password_reset_code(*args)
    assert len(codes_sent(sms_outbox)) == 1
    del queued[:]

    clock.advance(otp.RESEND_AFTER + 1)
    ask_reset(user.username, "10.0.9.1", cache_operations)
    run_worker(queued)
    assert len(codes_sent(sms_outbox)) == 2


def cache_contents() -> list[bytes]:
    """Every key and stored value in the cache, as bytes (the local-memory cache's or Redis's), but the
    sessions' (the browser's own session holds the BHXH code its code page asks the code of) and the keys
    of allauth's limiter, which counts an address's requests under the address (their values are times)."""
    backend = caches["default"]
    if isinstance(getattr(backend, "_cache", None), dict):  # local memory: pickled values
        pairs = [(key.encode(), value) for key, value in backend._cache.items()]
    else:
        client = backend._cache.get_client()
        pairs = [(key, client.dump(key) or b"") for key in client.scan_iter("*")]
    return [item for key, value in pairs if b"django.contrib.sessions" not in key
            for item in ((value,) if b"allauth:rl:" in key else (key, value))]


def test_nothing_in_the_cache_holds_the_bhxh_code_nor_the_client_s_address(queued, cache_operations, sms_outbox):
    """The cache is the broker's Redis, written to its disk too: what the request leaves there for the
    worker names neither, and the code is still sent."""
    user = make_citizen()
    ask_reset(user.username, "10.0.9.1", cache_operations)
    stored = cache_contents()
    assert stored and not any(user.username.encode() in item or b"10.0.9.1" in item for item in stored)
    (task, args), = queued
    task(*args)
    assert len(codes_sent(sms_outbox)) == 1


def test_a_task_whose_text_does_not_open_is_logged_without_personal_data_and_sends_nothing(
        queued, cache_operations, sms_outbox, caplog, settings):
    user = make_citizen()
    ask_reset(user.username, "10.0.9.1", cache_operations)
    (task, args), = queued
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "another-key-" + "x" * 50, []  # its key no longer kept
    task(*args)
    task("not-a-sealed-text")
    assert codes_sent(sms_outbox) == []
    warned = [record.getMessage() for record in caplog.records if record.name == password_reset.__name__]
    assert len(warned) == 2
    assert not any(user.username in line or "10.0.9.1" in line or args[0] in line for line in warned)


def test_a_task_queued_by_the_release_before_with_the_bhxh_code_in_plain_is_still_sent(queued, cache_operations,
                                                                                      sms_outbox):
    """Its three arguments (BHXH code, nonce, address), queued before the upgrade while its code still lives."""
    user = make_citizen()
    ask_reset(user.username, "10.0.9.1", cache_operations)
    (task, _args), = queued
    nonce = caches["default"].get(otp._key(otp.Purpose.PASSWORD_RESET, user.username))["nonce"]
    task(user.username, nonce, "10.0.9.1")
    assert len(codes_sent(sms_outbox)) == 1


def test_a_reset_s_sealed_text_and_a_private_link_open_only_as_what_they_are():
    """Sealed under a salt of its own: a reset's task does not open as a private file's link, nor a link
    as a reset's task, though both are sealed with keys drawn from the same SECRET_KEY."""
    from vssid_portal.files import private_file_url, sealed

    task = sealed({"subject": "7901234567", "client": "10.0.9.1", "nonce": "n-1"}, salt=password_reset.QUEUED_SALT)
    assert opened(task, salt=password_reset.QUEUED_SALT)["subject"] == "7901234567"
    assert opened(task) is None
    link = private_file_url("registrations/anh.jpg", user=None).rstrip("/").rsplit("/", 1)[1]
    assert opened(link) is not None and opened(link, salt=password_reset.QUEUED_SALT) is None
