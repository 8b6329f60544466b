"""One-time codes while Redis (where a code's nonce, counters and resend wait live) is down: the
visitor is told the portal cannot send or check a code for a few minutes, not that a code was
just sent or has expired, and no code goes out that could never be checked."""

import pytest
from django.test import RequestFactory

from accounts import otp
from notifications.models import Message
from tests.accounts.helpers import reset_request
from tests.accounts.test_code_lookup_redis_down import redis_down, stop_redis  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+84912345678"


def test_no_code_is_sent_and_the_visitor_is_told_to_come_back_later(redis_down, sms_outbox):  # noqa: F811
    request = RequestFactory().post("/")
    with pytest.raises(otp.SendRefused) as refused:
        otp.send_code(request, purpose=otp.Purpose.LOGIN, subject="1",
                      recipient=otp.Recipient(Message.Channel.SMS, PHONE))
    assert not isinstance(refused.value, otp.TooSoon)
    assert refused.value.message == otp.UNAVAILABLE
    assert "Mã vừa được gửi" not in refused.value.message
    assert sms_outbox() == [] and not Message.objects.exists()


def test_a_typed_code_is_not_called_expired_while_it_cannot_be_checked(redis_down):  # noqa: F811
    with pytest.raises(otp.CodeRejected) as rejected:
        otp.check_code(purpose=otp.Purpose.LOGIN, subject="1", code="123456")
    assert rejected.value.message == otp.UNAVAILABLE



def test_a_reset_code_asked_again_during_an_outage_is_said_not_sent(settings, monkeypatch, sms_outbox):
    from django.test import Client

    from tests.accounts.test_otp import make_citizen

    make_citizen()
    client = Client()
    asked = client.post("/tai-khoan/quen-mat-khau/", reset_request("7901234567"), follow=True)
    assert asked.redirect_chain == [("/tai-khoan/quen-mat-khau/xac-thuc/", 302)] and len(sms_outbox()) == 1
    stop_redis(settings, monkeypatch)
    response = client.post("/tai-khoan/quen-mat-khau/xac-thuc/", {"action": "resend"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 503 and response.redirect_chain == []  # the client's requests cannot be counted
    assert "Hệ thống mã xác thực đang tạm gián đoạn" in html and "Mã vừa được gửi" not in html
    assert len(sms_outbox()) == 1


def test_a_reset_asked_during_an_outage_is_said_unavailable_not_too_fast(settings, monkeypatch, sms_outbox):
    from django.test import Client

    from tests.accounts.test_otp import make_citizen

    make_citizen()
    stop_redis(settings, monkeypatch)
    response = Client().post("/tai-khoan/quen-mat-khau/", reset_request("7901234567"))
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert "Hệ thống mã xác thực đang tạm gián đoạn" in html and "quá nhanh" not in html
    assert 'value="7901234567"' in html  # what was typed is kept
    assert sms_outbox() == []


def test_a_login_during_an_outage_is_said_unavailable_not_locked(settings, monkeypatch):
    from django.test import Client

    from tests.accounts.test_login import submit_password
    from tests.accounts.test_otp import make_citizen

    make_citizen()
    stop_redis(settings, monkeypatch)
    response = submit_password(Client())
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"  # refused: the limit stays
    assert "Đăng nhập và các thao tác với tài khoản đang tạm gián đoạn. Hãy thử lại sau vài phút." in html
    assert "quá nhiều lần" not in html and "tạm bị khóa" not in html


def test_a_password_change_during_an_outage_is_said_unavailable_not_too_fast(settings, monkeypatch, sms_outbox):
    from django.test import Client

    from tests.accounts.test_otp import PASSWORD, make_citizen

    client = Client()
    client.force_login(make_citizen())
    stop_redis(settings, monkeypatch)
    response = client.post("/tai-khoan/doi-mat-khau/", {"oldpassword": PASSWORD, "password1": "Moi.Mat-Khau.2026",
                                                        "password2": "Moi.Mat-Khau.2026"})
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert "các thao tác với tài khoản đang tạm gián đoạn" in html and "quá nhanh" not in html
    assert sms_outbox() == []


def test_a_reset_asked_during_an_outage_waits_on_no_lock_of_the_clients_count(settings, monkeypatch, sms_outbox):
    """The client's count of reset requests (vssid_portal.ratelimit.counted_in_the_last) is not kept while Redis
    is down: the request and "Gửi lại mã" are refused at once, without trying for a second the lock of a count
    that the cache cannot hold (allauth's cache_lock, whose every try the cache refuses then)."""
    from allauth.core.internal import ratelimit as ratelimit_internals
    from django.core.cache import cache
    from django.test import Client

    from tests.accounts.test_otp import make_citizen

    make_citizen()
    client = Client()
    client.post("/tai-khoan/quen-mat-khau/", reset_request("7901234567"))
    stop_redis(settings, monkeypatch)
    cache.get("anything")  # the outage is known
    lock, locks = ratelimit_internals.cache_lock, []
    monkeypatch.setattr(ratelimit_internals, "cache_lock", lambda key: locks.append(key) or lock(key))
    asked = client.post("/tai-khoan/quen-mat-khau/", reset_request("7901234567"))
    again = client.post("/tai-khoan/quen-mat-khau/xac-thuc/", {"action": "resend"})
    assert [asked.status_code, again.status_code] == [503, 503] and locks == []
    assert len(sms_outbox()) == 1


def test_a_request_given_back_during_an_outage_waits_on_no_lock(settings, monkeypatch):
    """A count given back (vssid_portal.ratelimit.give_back) once Redis has gone down meanwhile is left as it is at
    once, without trying for a second the lock of a record that the cache cannot hold."""
    from allauth.core.internal import ratelimit as ratelimit_internals
    from django.core.cache import cache

    from vssid_portal.ratelimit import give_back

    stop_redis(settings, monkeypatch)
    cache.get("anything")  # the outage is known
    lock, locks = ratelimit_internals.cache_lock, []
    monkeypatch.setattr(ratelimit_internals, "cache_lock", lambda key: locks.append(key) or lock(key))
    counted = ratelimit_internals.SingleRateLimitUsage(cache_key="allauth:rl:x", cache_duration=3600, timestamp=1.0)
    give_back(ratelimit_internals.RateLimitUsage(usage=[counted]))
    assert locks == []


def test_a_code_asked_as_the_outage_begins_waits_on_no_lock_of_its_resend_wait(redis_down, monkeypatch):  # noqa: F811
    """The asks of one code are put one after another by a lock of its resend wait (allauth's cache_lock), which
    the cache refuses while Redis is down: the first ask to find the outage is told so at once, without trying
    the lock for a second."""
    from allauth.core.internal import ratelimit as ratelimit_internals

    lock, locks = ratelimit_internals.cache_lock, []
    monkeypatch.setattr(ratelimit_internals, "cache_lock", lambda key: locks.append(key) or lock(key))
    with pytest.raises(otp.Unavailable):
        otp.send_code(RequestFactory().post("/"), purpose=otp.Purpose.LOGIN, subject="1",
                      recipient=otp.Recipient(Message.Channel.SMS, PHONE))
    assert locks == []
