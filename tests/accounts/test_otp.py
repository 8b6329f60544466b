"""One-time codes (accounts/otp.py): 6 digits from pyotp, valid 5 minutes, void after 5 wrong
tries, a new code 60 s after the last at the earliest, at most 5 codes an hour per phone, and
nothing stored or logged that gives a code away.

Also the builders and fixtures the other account tests share (a citizen, the clock, the cache).
"""

import datetime
import logging
import re
import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import translation

from accounts import otp
from accounts.models import Person, User
from notifications.models import Message
from vssid_portal.ratelimit import client_ip, key_rate

# Codes go out when the transaction commits, as in production: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+84912345678"
PASSWORD = "Mat-khau-cua-Duc-2026"


def make_citizen(code="7901234567", phone=PHONE, password=PASSWORD, **fields) -> User:
    person = Person.objects.create(
        bhxh_code=code, full_name="Nguyễn Văn Đức", birth_date=datetime.date(1988, 3, 15), sex=Person.Sex.MALE,
        id_number="079088012345", phone=phone,
    )
    return User.objects.create_user(code, password=password, person=person, **fields)


def codes_sent(sms_outbox, to=PHONE) -> list[str]:
    """The one-time codes sent to `to`; its other messages (security notices) left out."""
    return [code.group() for message in sms_outbox()
            if message["to"] == to and (code := re.match(r"\d{6}\b", message["text"]))]


class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    """The time every reader sees (otp.py, allauth's rate limiter and trust cookie, the session
    rules, the local-memory cache), moved forward only by the test."""
    frozen = Clock()
    monkeypatch.setattr(time, "time", frozen)
    return frozen


@pytest.fixture(autouse=True)
def fresh_cache():
    """Codes, their counters and the rate limits live in the cache: each test starts without."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def request_():
    return RequestFactory().post("/")


def send(request, subject="1", purpose=otp.Purpose.LOGIN, to=PHONE):
    otp.send_code(request, purpose=purpose, subject=subject, recipient=otp.Recipient(Message.Channel.SMS, to))


def check(code, subject="1", purpose=otp.Purpose.LOGIN):
    otp.check_code(purpose=purpose, subject=subject, code=code)


def test_a_six_digit_code_goes_by_sms_and_opens_once(request_, sms_outbox):
    send(request_)
    [sms] = sms_outbox()
    assert sms["to"] == PHONE
    assert re.fullmatch(r"\d{6} là mã xác thực đăng nhập Cổng BHXH số trên thiết bị mới, hiệu lực 5 phút\. .*",
                        sms["text"])
    [code] = codes_sent(sms_outbox)
    check(code)
    with pytest.raises(otp.CodeRejected):
        check(code)


def test_a_code_is_bound_to_its_purpose_and_subject(request_, sms_outbox):
    send(request_, subject="1", purpose=otp.Purpose.LOGIN)
    [code] = codes_sent(sms_outbox)
    with pytest.raises(otp.CodeRejected):
        check(code, subject="1", purpose=otp.Purpose.PASSWORD_CHANGE)
    with pytest.raises(otp.CodeRejected):
        check(code, subject="2", purpose=otp.Purpose.LOGIN)
    check(code, subject="1", purpose=otp.Purpose.LOGIN)


def test_a_code_lives_five_minutes(request_, sms_outbox, clock):
    send(request_, subject="1")
    send(request_, subject="2")
    first, second = codes_sent(sms_outbox)
    clock.advance(299)
    check(first, subject="1")
    clock.advance(2)
    with pytest.raises(otp.CodeRejected) as rejected:
        check(second, subject="2")
    assert rejected.value.message == otp.EXPIRED


def test_a_login_code_asked_twice_at_once_as_the_minute_ends_is_sent_once(task_worker, request_, sms_outbox, clock,
                                                                           monkeypatch):
    """Two asks at once (a double click on "Gửi lại mã") just as the last code's minute ends, while the cache
    still holds its time, as Redis may a moment longer: one new code is queued and sent (by a real worker where
    Redis and PostgreSQL are at hand), the other ask refused as too soon."""
    from allauth.core.internal import ratelimit as ratelimit_internals
    from django.core.cache import caches

    from tests.conftest import wait_for

    monkeypatch.setattr(ratelimit_internals, "CACHE_LOCK_WAIT_TIMEOUT", 0.05)  # the test need not wait a second
    send(request_)
    wait = f"{otp._key(otp.Purpose.LOGIN, '1')}:cooldown"
    backend = caches["default"]
    backend.set(wait, backend.get(wait), 600)  # the record outlives the minute it holds
    clock.advance(otp.RESEND_AFTER + 1)
    read, outcomes = backend.get, []

    def ask():
        try:
            send(request_)
        except otp.TooSoon:
            outcomes.append("too soon")
        else:
            outcomes.append("sent")

    def second_ask_meanwhile(key, *args, **kwargs):
        value = read(key, *args, **kwargs)
        if key == wait and read(f"{wait}:lock") and not getattr(second_ask_meanwhile, "asked", False):
            second_ask_meanwhile.asked = True  # the first ask has read the last code's time: the second comes
            ask()
        return value

    monkeypatch.setattr(backend, "get", second_ask_meanwhile)
    ask()
    assert sorted(outcomes) == ["sent", "too soon"]
    assert Message.objects.filter(template="otp_login").count() == 2  # queued: the first code and one new
    assert len(wait_for(lambda: len(codes_sent(sms_outbox)) == 2 and codes_sent(sms_outbox), timeout=60)) == 2


def test_a_login_code_asked_as_the_last_ones_time_leaves_the_cache_is_sent_once(request_, sms_outbox, clock,
                                                                                  monkeypatch):
    """Two asks at once as the minute ends, the cache letting the last code's time go between the first ask's
    reading it and its taking the wait over: the second ask, finding no time at all, does not send a code of
    its own beside the first's; the two are put one after the other (allauth's cache_lock of the wait)."""
    from allauth.core.internal import ratelimit as ratelimit_internals
    from django.core.cache import caches

    monkeypatch.setattr(ratelimit_internals, "CACHE_LOCK_WAIT_TIMEOUT", 0.05)  # the test need not wait a second
    send(request_)
    wait = f"{otp._key(otp.Purpose.LOGIN, '1')}:cooldown"
    backend = caches["default"]
    backend.set(wait, backend.get(wait), 600)  # the record outlives the minute it holds
    clock.advance(otp.RESEND_AFTER + 1)
    write, outcomes = backend.set, []

    def ask():
        try:
            send(request_)
        except otp.TooSoon:
            outcomes.append("too soon")
        else:
            outcomes.append("sent")

    def second_ask_as_the_time_leaves(key, *args, **kwargs):
        if key == wait and not outcomes and not getattr(second_ask_as_the_time_leaves, "asked", False):
            second_ask_as_the_time_leaves.asked = True  # the first ask takes the wait over: the record has gone
            backend.delete(wait)
            ask()
        return write(key, *args, **kwargs)

    monkeypatch.setattr(backend, "set", second_ask_as_the_time_leaves)
    ask()
    assert sorted(outcomes) == ["sent", "too soon"]
    assert Message.objects.filter(template="otp_login").count() == 2  # queued: the first code and one new


def test_a_code_once_used_lets_a_new_one_be_asked_at_once(request_, sms_outbox, clock):
    """The minute between two codes keeps a visitor from sending codes to a phone one after another; a code
    typed and accepted is done with, so the next login (another browser, a login right after a logout)
    gets its own code at once instead of being told to wait."""
    send(request_)
    [first] = codes_sent(sms_outbox)
    check(first)
    clock.advance(5)
    send(request_)
    [_first, second] = codes_sent(sms_outbox)
    check(second)


def test_five_wrong_tries_void_the_code(request_, sms_outbox):
    send(request_)
    [code] = codes_sent(sms_outbox)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(otp.CodeRejected) as rejected:
            check(wrong)
        assert rejected.value.message == f"Mã xác thực không đúng. Bạn còn {left} lần thử."
    with pytest.raises(otp.CodeRejected) as rejected:
        check(wrong)
    assert rejected.value.message == otp.VOIDED
    with pytest.raises(otp.CodeRejected) as rejected:
        check(code)  # the right code is void now too
    assert rejected.value.message == otp.VOIDED


def test_the_expired_and_void_messages_say_the_lifetime_and_tries_as_set(request_, sms_outbox, clock, monkeypatch):
    """The code's life (otp.LIFETIME) and its wrong tries (otp.MAX_ATTEMPTS) are read where they are set:
    changing them changes what the messages say, in Vietnamese and English."""
    monkeypatch.setattr(otp, "LIFETIME", 10 * 60)
    monkeypatch.setattr(otp, "MAX_ATTEMPTS", 3)
    send(request_, subject="1")
    send(request_, subject="2")
    [_first, second] = codes_sent(sms_outbox)
    wrong = f"{(int(second) + 1) % 1000000:06d}"
    for _try in range(3):
        with pytest.raises(otp.CodeRejected) as voided:
            check(wrong, subject="2")
    clock.advance(10 * 60 + 1)
    with pytest.raises(otp.CodeRejected) as expired:
        check("123456", subject="1")
    assert str(expired.value.message) == ("Mã xác thực đã hết hạn (mã chỉ có hiệu lực 10 phút). "
                                          "Hãy bấm “Gửi lại mã” để nhận mã mới.")
    assert str(voided.value.message) == "Mã xác thực đã bị hủy vì nhập sai 3 lần. Hãy bấm “Gửi lại mã” để nhận mã mới."
    with translation.override("en"):
        assert "(a code is valid for 10 minutes only)" in str(expired.value.message)
        assert "because it was typed wrong 3 times" in str(voided.value.message)


def test_a_new_code_only_after_sixty_seconds_and_it_replaces_the_old(request_, sms_outbox, clock):
    send(request_)
    clock.advance(59)
    with pytest.raises(otp.TooSoon) as refused:
        send(request_)
    assert refused.value.message == "Mã vừa được gửi. Bạn có thể yêu cầu mã mới sau 1 giây."
    clock.advance(1)
    send(request_)
    old, new = codes_sent(sms_outbox)
    with pytest.raises(otp.CodeRejected):
        check(old)
    check(new)


def test_at_most_five_codes_an_hour_to_one_phone(request_, sms_outbox, clock):
    started = clock.now
    for subject in ("1", "1", "1", "2", "3"):  # resends and other accounts on the same phone
        send(request_, subject=subject)
        clock.advance(61)
    with pytest.raises(otp.HourlyCapReached) as refused:
        send(request_, subject="4")
    assert "cho phép mỗi giờ tới số điện thoại có đuôi 678" in refused.value.message
    send(request_, subject="4", to="+84987654321")  # another phone is not affected
    assert len(codes_sent(sms_outbox)) == 5
    clock.advance(started + 3600 - clock.now + 1)  # the first code of the hour leaves the window
    send(request_, subject="4")
    assert len(codes_sent(sms_outbox)) == 6


def test_of_a_phones_codes_one_client_has_only_its_share_by_resets_of_several_bhxh_codes(request_, sms_outbox, clock):
    """Resets asked from one address for several BHXH codes that share a phone (a family's) spend only that
    address's share of the phone's codes of the hour: a stranger cannot take them all from the holder."""
    user = make_citizen()
    recipient = otp.Recipient(Message.Channel.SMS, PHONE)
    share = key_rate("otp_send_reset_client").amount

    def reset(request, subject):
        nonce = otp.reset_code_ask(request, subject=subject)
        return otp.reset_code_deliver(subject=subject, nonce=nonce, client=client_ip(None, request),
                                      recipient=recipient, user=user)

    # A BHXH code of its own each time: the code's own limits never refuse.
    assert [reset(request_, f"79010000{n:02d}") for n in range(share + 1)] == [True] * share + [False]
    assert len(codes_sent(sms_outbox)) == share
    assert reset(RequestFactory().post("/", REMOTE_ADDR="203.113.1.9"), "7901000099")  # another address's share


def test_a_reset_asked_again_leaves_the_code_the_phone_has_good_until_the_new_one_is_delivered(request_, sms_outbox,
                                                                                              clock):
    """A reset is answered as sent whether or not its code goes out (the phone's cap, the worker not run yet):
    until it is delivered, the code the phone already has still opens, or anyone's reset would void it."""
    subject = "7901234567"
    user = make_citizen()
    nonce = otp.reset_code_ask(request_, subject=subject)
    assert otp.reset_code_deliver(subject=subject, nonce=nonce, client=client_ip(None, request_),
                                  recipient=otp.Recipient(Message.Channel.SMS, PHONE), user=user)
    [code] = codes_sent(sms_outbox)
    clock.advance(otp.RESEND_AFTER + 1)
    otp.reset_code_ask(request_, subject=subject)
    check(code, subject=subject, purpose=otp.Purpose.PASSWORD_RESET)


def test_a_reset_code_may_be_guessed_five_times_in_all_however_many_resets_are_asked_meanwhile(request_, sms_outbox,
                                                                                               clock):
    """A reset asked again while the phone's code may still be typed keeps that code the one checked until the
    new one is delivered; the guesses at it go on counting, so asking resets gives a stranger no guess more."""
    subject = "7901234567"
    user = make_citizen()
    recipient = otp.Recipient(Message.Channel.SMS, PHONE)
    nonce = otp.reset_code_ask(request_, subject=subject)
    assert otp.reset_code_deliver(subject=subject, nonce=nonce, client=client_ip(None, request_),
                                  recipient=recipient, user=user)
    [code] = codes_sent(sms_outbox)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for _try in range(otp.MAX_ATTEMPTS - 1):
        with pytest.raises(otp.CodeRejected):
            check(wrong, subject=subject, purpose=otp.Purpose.PASSWORD_RESET)
    clock.advance(otp.RESEND_AFTER + 1)
    otp.reset_code_ask(request_, subject=subject)  # not delivered (yet): the code sent stays the one checked
    with pytest.raises(otp.CodeRejected):
        check(wrong, subject=subject, purpose=otp.Purpose.PASSWORD_RESET)  # the fifth wrong guess at it
    with pytest.raises(otp.CodeRejected):
        check(code, subject=subject, purpose=otp.Purpose.PASSWORD_RESET)


def test_a_code_is_derived_never_stored_or_logged(request_, sms_outbox, caplog):
    caplog.set_level(logging.DEBUG)
    send(request_, subject="7901234567")
    [code] = codes_sent(sms_outbox)
    state_key = otp._key(otp.Purpose.LOGIN, "7901234567")
    assert code not in repr(cache.get(state_key)) and code not in repr(cache.get(f"{state_key}:tries"))
    message = Message.objects.get(template="otp_login")
    assert message.sensitive and message.status == Message.Status.SENT and code not in message.body
    check(code, subject="7901234567")
    assert code not in caplog.text


def test_codes_go_to_the_registered_phone_else_to_the_officers_email():
    citizen = make_citizen()
    officer = User.objects.create_user("canbo07901", password=PASSWORD, email="lan@bhxh.example", is_staff=True)
    nobody = User.objects.create_user("quantri", password=PASSWORD)
    assert otp.recipient_for(citizen) == otp.Recipient(Message.Channel.SMS, PHONE)
    assert otp.recipient_for(officer) == otp.Recipient(Message.Channel.EMAIL, "lan@bhxh.example")
    assert otp.recipient_for(nobody) is None
    assert otp.recipient_for(citizen).display == "số điện thoại có đuôi 678"
    assert otp.recipient_for(officer).display == "địa chỉ email l…@bhxh.example"


def test_a_citizen_with_an_email_address_too_receives_codes_by_sms():
    """The portal's rule: a citizen's codes go to the phone registered with their record, never to an e-mail
    address, which was never verified."""
    citizen = make_citizen(email="duc@example.vn")
    assert otp.recipient_for(citizen) == otp.Recipient(Message.Channel.SMS, PHONE)


def test_a_code_sent_before_the_secret_key_was_rotated_still_opens(request_, sms_outbox, rotate_secret_key):
    send(request_)
    [code] = codes_sent(sms_outbox)
    rotate_secret_key()
    check(code)


def test_a_code_opens_only_with_the_key_it_was_sent_with(request_, sms_outbox, rotate_secret_key):
    """The fallback keys do not make a second code good: a guess still has one chance in a million."""
    rotate_secret_key()
    send(request_)
    nonce = cache.get(otp._key(otp.Purpose.LOGIN, "1"))["nonce"]
    made_with_the_old_key = otp._hotp(otp.Purpose.LOGIN, "1", nonce, rotate_secret_key.old).at(0)
    [code] = codes_sent(sms_outbox)
    if made_with_the_old_key != code:
        with pytest.raises(otp.CodeRejected):
            check(made_with_the_old_key)
    check(code)
