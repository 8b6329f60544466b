"""What each page that sends a one-time code says when it is asked for one: the new device's (at the
password step and "Gửi lại mã"), the password change's (the change form and "Gửi lại mã") and the
password reset's (the request page and "Gửi lại mã"). Sent, it says so; asked again within the minute,
the code just sent is the one to type; at the hour's cap it never says a code was just sent, nor to
ask again in a few seconds: no new code was sent because of the hour's limit, from what local time
(hh:mm) one may be asked, and that the code sent before may still be typed while it may."""

import datetime
import math
import time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import translation

from accounts import otp
from tests.accounts import test_otp
from tests.accounts.helpers import reset_request
from tests.accounts.test_login import CONFIRM, submit_password
from tests.accounts.test_otp import PASSWORD, codes_sent, make_citizen, send
from tests.accounts.test_sessions import (
    CHANGE,
    CHANGE_CONFIRM,
    RESET,
    RESET_CODE,
    without_tokens,
    wrong_code,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The shared fixture; pytest finds it as an attribute of this module.
fresh_cache = test_otp.fresh_cache


@pytest.fixture
def clock(monkeypatch):
    """test_otp's clock, started at 12:00 in Vietnam today rather than at the real time: an hour's wait
    then ends on the same day, so the time it is said to end is hh:mm alone whenever the suite runs (past
    23:00 the portal rightly adds the date; test_a_time_past_midnight_is_said_with_its_date holds that)."""
    frozen = test_otp.Clock()
    today = datetime.datetime.fromtimestamp(frozen.now, tz=ZoneInfo(settings.TIME_ZONE)).date()
    frozen.now = datetime.datetime.combine(today, datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE)).timestamp()
    monkeypatch.setattr(time, "time", frozen)
    return frozen

SENT = "Đã gửi mã xác thực tới số điện thoại có đuôi 678."
STILL_GOOD = "Mã xác thực vừa gửi tới số điện thoại có đuôi 678 vẫn dùng được: hãy nhập mã đó."
NOT_SENT = "Đã gửi đủ số mã cho phép mỗi giờ tới số điện thoại có đuôi 678, nên chưa gửi mã mới."
JUST_SENT = "Mã vừa được gửi"
NEW_PASSWORD = "Mat-khau-moi-rat-dai-2026"


def local(moment: float, *, up: bool) -> str:
    """`moment` (a time.time() value) as hh:mm in the portal's time zone, rounded up or down to the minute."""
    minute = (math.ceil(moment / 60) if up else math.floor(moment / 60)) * 60
    at = datetime.datetime.fromtimestamp(minute, tz=ZoneInfo(settings.TIME_ZONE))
    return f"{at.hour:02d}:{at.minute:02d}"


def others_use(sms_outbox, count: int):
    """`count` codes of the phone's hour go to other purposes (other accounts on the same phone)."""
    for _ in range(count):
        send(RequestFactory().post("/"), subject=f"khac-{len(codes_sent(sms_outbox))}")


def said(response) -> str:
    return response.content.decode()


def ask_change_code(client) -> str:
    """The password change's form sent: its code asked; the confirmation page it leads to."""
    return said(client.post(CHANGE, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD,
                                     "password2": NEW_PASSWORD}, follow=True))


def logged_in(sms_outbox) -> Client:
    """A citizen logged in, its new device's code used (which frees the login's code for the next ask)."""
    client = Client()
    submit_password(client)
    assert client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]}).status_code == 302
    return client


# The new device's code: sent at the password step, asked again by "Gửi lại mã".

def test_a_login_code_sent_and_asked_again_within_the_minute(client, sms_outbox, clock):
    make_citizen()
    submit_password(client)
    page = said(client.get(CONFIRM))
    assert SENT in page and 'name="code"' in page
    clock.advance(20)
    page = said(client.post(CONFIRM, {"action": "resend"}, follow=True))
    assert STILL_GOOD in page and "Chưa nhận được thì sau 40 giây bạn có thể yêu cầu mã mới." in page
    assert NOT_SENT not in page and len(codes_sent(sms_outbox)) == 1


def test_a_login_code_asked_again_within_the_minute_at_the_cap_says_the_cap_not_the_seconds(client, sms_outbox,
                                                                                            clock):
    """The hour's fifth code is the login's own: asked again 20 s later, the page does not say to wait 40 s
    (the cap would refuse it then), but that no code was sent, until when the one sent may be typed and
    from when a new one may be asked."""
    make_citizen()
    first = clock.now
    others_use(sms_outbox, 4)
    clock.advance(30)
    sent_at = clock.now
    submit_password(client)
    assert SENT in said(client.get(CONFIRM))
    clock.advance(20)
    page = said(client.post(CONFIRM, {"action": "resend"}, follow=True))
    assert page.count(NOT_SENT) == 1 and "Chưa nhận được thì sau" not in page and "giây" not in page
    assert f"Mã đã gửi trước đó vẫn dùng được tới {local(sent_at + otp.LIFETIME, up=False)}: hãy nhập mã đó." in page
    assert f"Bạn có thể yêu cầu mã sau 60 phút (từ {local(first + 3600, up=True)}" in page
    assert 'name="code"' in page and len(codes_sent(sms_outbox)) == 5
    assert client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]}).status_code == 302


def test_a_login_code_asked_again_at_the_cap_says_the_one_sent_still_works_and_from_when(client, sms_outbox,
                                                                                          clock):
    make_citizen()
    submit_password(client)
    sent_at = clock.now
    others_use(sms_outbox, 4)
    clock.advance(90)
    page = said(client.post(CONFIRM, {"action": "resend"}, follow=True))
    assert page.count(NOT_SENT) == 1 and JUST_SENT not in page
    assert f"Mã đã gửi trước đó vẫn dùng được tới {local(sent_at + otp.LIFETIME, up=False)}" in page
    assert f"Bạn có thể yêu cầu mã sau 59 phút (từ {local(sent_at + 3600, up=True)}" in page


def test_a_login_at_the_cap_with_no_code_sent_says_from_when_and_no_code_to_type(client, sms_outbox, clock):
    make_citizen()
    first = clock.now
    others_use(sms_outbox, 5)
    clock.advance(10 * 60)
    submit_password(client)
    page = said(client.get(CONFIRM))
    assert page.count(NOT_SENT) == 1 and f"(từ {local(first + 3600, up=True)}" in page
    assert "vẫn dùng được" not in page and JUST_SENT not in page and 'name="code"' not in page


# The password change's code: sent by the change form, asked again by "Gửi lại mã".

def test_a_password_change_code_sent_and_asked_again_within_the_minute(sms_outbox, clock):
    make_citizen()
    client = logged_in(sms_outbox)
    page = ask_change_code(client)
    assert SENT in page and 'name="code"' in page
    clock.advance(15)
    page = said(client.post(CHANGE_CONFIRM, {"action": "resend"}, follow=True))
    assert STILL_GOOD in page and "Chưa nhận được thì sau 45 giây bạn có thể yêu cầu mã mới." in page
    assert JUST_SENT not in page and 'name="code"' in page


@pytest.mark.parametrize("wait", [15, 75], ids=["within the minute", "after it"])
def test_a_password_change_code_asked_again_once_the_account_has_no_phone_asks_the_change_again(sms_outbox, clock,
                                                                                              wait):
    """An officer removed the phone while the holder was on the confirmation page (no e-mail either):
    "Gửi lại mã" sends nothing and leads back to the change form, which takes the current password alone."""
    from accounts.models import Person

    user = make_citizen()
    client = logged_in(sms_outbox)
    assert SENT in ask_change_code(client)
    Person.objects.filter(pk=user.person_id).update(phone="")
    clock.advance(wait)
    sent = len(codes_sent(sms_outbox))
    response = client.post(CHANGE_CONFIRM, {"action": "resend"}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == CHANGE
    assert "Tài khoản không còn số điện thoại hoặc email để nhận mã xác thực." in said(response)
    assert len(codes_sent(sms_outbox)) == sent
    client.post(CHANGE, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_password_change_code_asked_again_within_the_minute_at_the_cap_says_the_cap(sms_outbox, clock):
    make_citizen()
    client = logged_in(sms_outbox)
    first = clock.now
    others_use(sms_outbox, 3)  # the login's code, three others and the change's own: five
    sent_at = clock.now
    assert SENT in ask_change_code(client)
    clock.advance(10)
    page = said(client.post(CHANGE_CONFIRM, {"action": "resend"}, follow=True))
    assert page.count(NOT_SENT) == 1 and JUST_SENT not in page and "giây" not in page
    assert f"Mã đã gửi trước đó vẫn dùng được tới {local(sent_at + otp.LIFETIME, up=False)}" in page
    assert f"Bạn có thể yêu cầu mã sau 60 phút (từ {local(first + 3600, up=True)}" in page
    assert len(codes_sent(sms_outbox)) == 5


def test_a_password_change_asked_at_the_cap_says_from_when(sms_outbox, clock):
    make_citizen()
    client = logged_in(sms_outbox)
    first = clock.now
    others_use(sms_outbox, 4)
    clock.advance(5 * 60)
    page = ask_change_code(client)
    assert page.count(NOT_SENT) == 1 and f"Bạn có thể yêu cầu mã sau 55 phút (từ {local(first + 3600, up=True)}" in page
    assert "vẫn dùng được" not in page and 'name="code"' not in page


# The password reset's code: asked on the request page, asked again by "Gửi lại mã"; said alike
# whether the BHXH code has an account or not.

def alike(pages: dict) -> str:
    """The pages of the BHXH code with an account and of the one without, the code left out: the same."""
    shown = [without_tokens(page).replace(code, "…") for code, page in pages.items()]
    assert shown[0] == shown[1]
    return shown[0]


RESET_SENT = "Nếu mã số BHXH này đã có tài khoản, mã xác thực gồm 6 chữ số đã được gửi tới số điện thoại đăng ký."


def test_a_reset_code_sent_and_asked_again_within_the_minute_alike_for_an_unknown_bhxh_code(sms_outbox, clock):
    make_citizen()
    clients = {"7901234567": Client(), "7909999999": Client()}
    page = alike({code: said(each.post(RESET, reset_request(code), follow=True)) for code, each in clients.items()})
    assert RESET_SENT in page and 'name="code"' in page
    clock.advance(25)
    page = alike({code: said(each.post(RESET_CODE, {"action": "resend"}, follow=True))
                  for code, each in clients.items()})
    assert ("Nếu mã số BHXH này đã có tài khoản, mã xác thực vừa được gửi tới số điện thoại đăng ký. Bạn có thể "
            "yêu cầu mã mới sau 35 giây.") in page
    assert JUST_SENT not in page and len(codes_sent(sms_outbox)) == 1


RESET_AT_CAP = ("Nếu mã số BHXH này đã có tài khoản, mã xác thực đã được gửi tới số điện thoại đăng ký và vẫn "
                "dùng được tới khi hết hạn. Chưa gửi mã mới vì mã số BHXH này đã được yêu cầu đủ số mã cho phép "
                "mỗi giờ; bạn có thể yêu cầu mã mới sau")


def reset_codes_to_the_cap(clock, net: int) -> tuple[dict, float]:
    """Five reset codes asked a minute apart, for the citizen's BHXH code and for an unknown one, each from
    the client addresses 10.0.`net`.*: the BHXH code's cap of the hour reached. The two clients and the time
    of the first code."""
    make_citizen()
    clients = {"7901234567": Client(), "7909999999": Client()}
    first = clock.now
    for attempt in range(5):
        if attempt:
            clock.advance(61)
        for code, each in clients.items():
            each.post(RESET, reset_request(code), REMOTE_ADDR=f"10.0.{net}.{attempt}", follow=True)
    return clients, first


def test_a_reset_code_asked_again_within_the_minute_at_the_cap_says_the_cap_alike_for_an_unknown_bhxh_code(
        sms_outbox, clock):
    """The BHXH code's fifth code of the hour asked, then again 10 s later: the cap, not "a code was just
    sent, ask again in 50 s", which the cap would refuse then."""
    clients, first = reset_codes_to_the_cap(clock, 9)
    clock.advance(10)
    page = alike({code: said(each.post(RESET_CODE, {"action": "resend"}, follow=True))
                  for code, each in clients.items()})
    assert f"{RESET_AT_CAP} 56 phút (từ {local(first + 3600, up=True)})." in page  # 4 min 14 s after the first
    assert JUST_SENT not in page and "giây" not in page and 'name="code"' in page
    assert len(codes_sent(sms_outbox)) == 5


def test_a_reset_at_the_cap_with_no_code_waiting_says_from_when_alike_for_an_unknown_bhxh_code(sms_outbox, clock):
    clients, first = reset_codes_to_the_cap(clock, 10)
    for code, each in clients.items():  # the last code voided: none waits
        for _ in range(otp.MAX_ATTEMPTS):
            each.post(RESET_CODE, {"action": "verify", "code": wrong_code(codes_sent(sms_outbox)[-1])})
    page = alike({code: said(each.get(RESET_CODE)) for code, each in clients.items()})
    assert (f"Bạn có thể yêu cầu mã mới sau 56 phút (từ {local(first + 3600, up=True)}), hoặc gọi tổng đài"
            in page)
    assert "vẫn dùng được" not in page and 'name="code"' not in page


def test_the_cap_is_said_in_english_too(clock):
    request = RequestFactory().post("/")
    sent_at = clock.now
    for number in range(5):
        send(request, subject=str(number))
    clock.advance(90)
    with translation.override("en"), pytest.raises(otp.HourlyCapReached) as refused:
        send(request, subject="4")
    assert refused.value.message == (
        "The most codes allowed an hour have already been sent to the phone number ending in 678, so no new "
        f"code was sent. The code sent before can still be used until {local(sent_at + otp.LIFETIME, up=False)}: "
        f"type it in. You can ask for a code in 59 minutes (from {local(sent_at + 3600, up=True)}), or call the "
        f"helpline on {settings.PORTAL_HOTLINE}.")


def test_a_time_past_midnight_is_said_with_its_date(clock):
    """Codes used up at 23:30 local time may be asked again from 00:30 the next day: the date says which."""
    zone = ZoneInfo(settings.TIME_ZONE)
    today = datetime.datetime.fromtimestamp(clock.now, tz=zone).date()
    clock.now = datetime.datetime.combine(today, datetime.time(23, 30), tzinfo=zone).timestamp()
    request = RequestFactory().post("/")
    for number in range(5):
        send(request, subject=str(number))
    with pytest.raises(otp.HourlyCapReached) as refused:
        send(request, subject="5")
    tomorrow = today + datetime.timedelta(days=1)
    assert f"(từ 00:30 ngày {tomorrow:%d/%m/%Y})" in refused.value.message
