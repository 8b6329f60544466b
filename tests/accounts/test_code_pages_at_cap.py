"""The code pages when the phone has had its codes for the hour: they say that no code was sent
and when to ask again, offer no code field as if one had been, and never answer "expired"."""

import re

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from accounts import otp
from tests.accounts import test_otp
from tests.accounts.helpers import reset_request
from tests.accounts.test_login import CONFIRM, PERSONAL, is_logged_in, log_in, submit_password
from tests.accounts.test_otp import PASSWORD, codes_sent, make_citizen, send
from tests.accounts.test_sessions import (
    CHANGE,
    CHANGE_CONFIRM,
    RESET,
    RESET_CODE,
    RESET_NEW,
    SECURITY,
    without_tokens,
    wrong_code,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The shared fixtures; pytest finds them as attributes of this module.
clock, fresh_cache = test_otp.clock, test_otp.fresh_cache

NOT_SENT = "Đã gửi đủ số mã cho phép mỗi giờ tới số điện thoại có đuôi 678, nên chưa gửi mã mới."


def use_up_the_hour(sms_outbox):
    """The phone's five codes of the hour go to other purposes (other accounts on the same phone)."""
    while len(codes_sent(sms_outbox)) < 5:
        send(RequestFactory().post("/"), subject=f"khac-{len(codes_sent(sms_outbox))}")


def test_a_login_at_the_cap_says_no_code_was_sent_and_when_to_ask(client, sms_outbox, clock):
    make_citizen()
    use_up_the_hour(sms_outbox)
    clock.advance(15 * 60)
    assert submit_password(client)["Location"] == CONFIRM
    page = client.get(CONFIRM).content.decode()
    assert NOT_SENT in page and "Bạn có thể yêu cầu mã sau 45 phút" in page
    assert page.count(NOT_SENT) == 1
    assert 'name="code"' not in page and "hãy nhập mã xác thực chúng tôi vừa gửi" not in page

    typed = client.post(CONFIRM, {"action": "verify", "code": "123456"}).content.decode()
    assert "hết hạn" not in typed and NOT_SENT in typed
    assert not is_logged_in(client)

    page = client.post(CONFIRM, {"action": "resend"}, follow=True).content.decode()
    assert page.count(NOT_SENT) == 1 and 'name="code"' not in page

    clock.advance(45 * 60)  # the codes of the hour leave the window (and this login attempt has expired)
    assert submit_password(client)["Location"] == CONFIRM
    page = client.get(CONFIRM).content.decode()
    assert "Đã gửi mã xác thực tới số điện thoại có đuôi 678." in page and 'name="code"' in page
    response = client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})
    assert response["Location"] == PERSONAL


def test_a_password_change_at_the_cap_says_no_code_was_sent(client, sms_outbox, clock):
    make_citizen()
    log_in(client, sms_outbox)
    use_up_the_hour(sms_outbox)
    new = "Mat-khau-moi-rat-dai-2026"
    page = client.post(CHANGE, {"oldpassword": PASSWORD, "password1": new, "password2": new},
                       follow=True).content.decode()
    assert page.count(NOT_SENT) == 1 and "Bạn có thể yêu cầu mã sau 60 phút" in page
    assert 'name="code"' not in page and "Nhập mã xác thực vừa gửi cho bạn" not in page
    typed = client.post(CHANGE_CONFIRM, {"action": "verify", "code": "123456"}).content.decode()
    assert "hết hạn" not in typed and NOT_SENT in typed

    for minutes_left in (40, 20):
        clock.advance(20 * 60)
        assert f"Bạn có thể yêu cầu mã sau {minutes_left} phút" in client.get(CHANGE_CONFIRM).content.decode()
    clock.advance(20 * 60)
    client.post(CHANGE_CONFIRM, {"action": "resend"})
    page = client.get(CHANGE_CONFIRM).content.decode()
    assert 'name="code"' in page and "Nhập mã xác thực vừa gửi cho bạn" in page
    response = client.post(CHANGE_CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})
    assert response["Location"] == SECURITY


def test_a_code_still_valid_is_offered_even_at_the_cap(client, sms_outbox, clock):
    """A resend refused at the cap leaves the code already sent: that one may still be typed."""
    make_citizen()
    submit_password(client)
    use_up_the_hour(sms_outbox)
    clock.advance(61)
    page = client.post(CONFIRM, {"action": "resend"}, follow=True).content.decode()
    assert NOT_SENT in page and 'name="code"' in page
    response = client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[0]})
    assert response["Location"] == PERSONAL


def test_the_cap_refusal_says_when_the_next_code_may_go(clock):
    request = RequestFactory().post("/")
    for number in range(5):  # one a minute: the first leaves the hour 55 minutes after the refusal
        send(request, subject=str(number))
        clock.advance(60)
    with pytest.raises(otp.HourlyCapReached) as refused:
        send(request, subject="5")
    assert "Bạn có thể yêu cầu mã sau 55 phút" in refused.value.message


@pytest.mark.parametrize(("limit", "every", "every_in_english"), [
    ("5/2h/key", "mỗi 2 giờ", "every 2 hours"), ("5/30m/key", "mỗi 30 phút", "every 30 minutes")])
def test_the_cap_refusal_says_the_window_the_settings_set(settings, clock, limit, every, every_in_english):
    """The phone's window is read from ACCOUNT_RATE_LIMITS["otp_send"]: changing it changes the refusal."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "otp_send": limit}
    request = RequestFactory().post("/")
    for number in range(5):
        send(request, subject=str(number))
    with pytest.raises(otp.HourlyCapReached) as refused:
        send(request, subject="5")
    assert (f"Đã gửi đủ số mã cho phép {every} tới số điện thoại có đuôi 678, nên chưa gửi mã mới."
            in refused.value.message)
    with translation.override("en"), pytest.raises(otp.HourlyCapReached) as refused_in_english:
        send(request, subject="6")
    english = refused_in_english.value.message
    assert (f"The most codes allowed {every_in_english} have already been sent to the phone number ending in 678"
            in english)


def test_a_resets_cap_refusal_says_the_window_of_the_limit_that_refused(settings, clock):
    """A reset's refusal names the window of the limit that refused, as ACCOUNT_RATE_LIMITS sets it: the
    network's share ("otp_send_reset_client") or the BHXH code's codes ("otp_send")."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "otp_send": "5/2h/key",
                                    "otp_send_reset_client": "2/30m/key"}

    def reset(address):
        otp.reset_code_ask(RequestFactory().post("/", REMOTE_ADDR=address), subject="7909999999")

    def refusal(address):
        with pytest.raises(otp.HourlyCapReached) as refused:
            reset(address)
        with translation.override("en"), pytest.raises(otp.HourlyCapReached) as in_english:
            reset(address)
        return refused.value.message, in_english.value.message

    for address in ("10.0.5.1", "10.0.5.1"):
        reset(address)
        clock.advance(61)
    said, in_english = refusal("10.0.5.1")
    assert "vì mạng bạn đang dùng đã yêu cầu đủ số mã cho phép mỗi 30 phút cho mã số BHXH này" in said
    assert "the network you are using has asked for all the codes allowed every 30 minutes for" in in_english
    for address in ("10.0.5.2", "10.0.5.2", "10.0.5.3"):
        reset(address)
        clock.advance(61)
    said, in_english = refusal("10.0.5.3")
    assert "vì mã số BHXH này đã được yêu cầu đủ số mã cho phép mỗi 2 giờ" in said
    assert "this social insurance code has been asked for all the codes allowed every 2 hours" in in_english


def test_the_code_pages_at_the_cap_say_it_in_the_title_and_announce_the_notice(client, sms_outbox, clock):
    """"No code was sent" is the page's error: the title starts with "Lỗi:" and the notice is an alert."""
    make_citizen()
    use_up_the_hour(sms_outbox)
    clock.advance(15 * 60)
    submit_password(client)
    page = client.get(CONFIRM).content.decode()
    assert re.search(r"<title>\s*Lỗi: Xác nhận đăng nhập", page)
    assert f'<p class="notice notice--error" role="alert">{NOT_SENT}' in page


def test_a_password_change_at_the_cap_says_it_in_the_title(client, sms_outbox, clock):
    make_citizen()
    log_in(client, sms_outbox)
    use_up_the_hour(sms_outbox)
    new = "Mat-khau-moi-rat-dai-2026"
    client.post(CHANGE, {"oldpassword": PASSWORD, "password1": new, "password2": new})
    page = client.get(CHANGE_CONFIRM).content.decode()
    assert re.search(r"<title>\s*Lỗi: Xác nhận đổi mật khẩu", page) and 'role="alert"' in page


RESET_AT_CAP = ("Nếu mã số BHXH này đã có tài khoản, mã xác thực đã được gửi tới số điện thoại đăng ký và vẫn "
                "dùng được tới khi hết hạn. Chưa gửi mã mới vì mã số BHXH này đã được yêu cầu đủ số mã cho phép "
                "mỗi giờ; bạn có thể yêu cầu mã mới sau")


def test_a_reset_asked_again_once_the_phone_had_its_codes_answers_as_for_an_unknown_bhxh_code(sms_outbox, clock):
    """The citizen asks for a reset code, the phone's other codes of the hour go out, and the citizen
    asks again: no code goes, and the page is the one a BHXH code without an account, asked as often,
    gets; the phone's cap, which the holder's other codes filled, tells no account apart."""
    make_citizen()
    clients = {"7901234567": Client(), "7909999999": Client()}
    for code, each in clients.items():
        each.post(RESET, reset_request(code))
    use_up_the_hour(sms_outbox)
    clock.advance(61)
    answers = []
    for code, each in clients.items():
        page = each.post(RESET, reset_request(code), follow=True).content.decode()
        assert "mã xác thực gồm 6 chữ số đã được gửi tới số điện thoại đăng ký" in page and 'name="code"' in page
        answers.append(without_tokens(page).replace(code, "…"))
    assert answers[0] == answers[1]
    assert len(codes_sent(sms_outbox)) == 5


def holders_reset_code_then_the_phones_codes_on_logins(sms_outbox) -> tuple[Client, str]:
    """The holder asks a reset and, before typing its code, logs in with codes on other browsers
    until the phone has had its codes of the hour: the holder's browser and the reset code it holds."""
    holder = Client()
    holder.post(RESET, reset_request("7901234567"), follow=True)
    reset_code = codes_sent(sms_outbox)[-1]
    while len(codes_sent(sms_outbox)) < 5:  # a code used opens the next login's at once
        log_in(Client(), sms_outbox)
    return holder, reset_code


@pytest.mark.parametrize(("wrong_tries", "opens"), [((0,), True), ((2, 2), True), ((2, 2, 1), False)],
                         ids=["no-try", "four-tries", "five-tries"])
def test_a_strangers_resets_at_the_phones_cap_keep_the_holders_code_and_its_tries(sms_outbox, clock,
                                                                                     wrong_tries, opens):
    """Resets of the holder's BHXH code that the phone's cap keeps from being sent, answered as if sent,
    neither void the holder's reset code nor give it tries anew: it opens until MAX_ATTEMPTS wrong tries
    in all, however they are spread over such resets, and then no more."""
    user = make_citizen()
    holder, reset_code = holders_reset_code_then_the_phones_codes_on_logins(sms_outbox)
    for number, tries in enumerate(wrong_tries):
        clock.advance(61)
        stranger = Client()
        page = stranger.post(RESET, reset_request(user.username), REMOTE_ADDR=f"10.0.7.{number}",
                             follow=True).content.decode()
        assert "mã xác thực gồm 6 chữ số đã được gửi tới số điện thoại đăng ký" in page and 'name="code"' in page
        for _ in range(tries):
            stranger.post(RESET_CODE, {"action": "verify", "code": wrong_code(reset_code)})
    assert len(codes_sent(sms_outbox)) == 5
    response = holder.post(RESET_CODE, {"action": "verify", "code": reset_code})
    if not opens:
        assert response.status_code == 200 and 'name="code"' in response.content.decode()
        assert holder.get(RESET_NEW)["Location"] == RESET
        return
    assert response["Location"] == RESET_NEW
    new = "Mat-khau-sau-khi-quen-2026"
    holder.post(RESET_NEW, {"password1": new, "password2": new})
    user.refresh_from_db()
    assert user.check_password(new)


def test_a_reset_at_the_phones_cap_with_the_holders_code_kept_answers_as_for_an_unknown_bhxh_code(sms_outbox,
                                                                                                   clock):
    """Tries spent before a reset the phone's cap keeps from being sent stay on the holder's code, yet the
    stranger reads the same pages as for a BHXH code without an account, whose reset starts a new code:
    the same "sent" answer and the same tries left after it."""
    make_citizen()
    unknown = Client()
    unknown.post(RESET, reset_request("7909999999"), follow=True)
    holder, reset_code = holders_reset_code_then_the_phones_codes_on_logins(sms_outbox)
    clients = {"7901234567": Client(), "7909999999": unknown}
    not_the_code = wrong_code(reset_code)
    for attempt in range(2):
        clock.advance(61)
        answers = []
        for code, each in clients.items():
            page = each.post(RESET, reset_request(code), REMOTE_ADDR=f"10.0.8.{attempt}", follow=True)
            typed = [each.post(RESET_CODE, {"action": "verify", "code": not_the_code}).content.decode()
                     for _ in range(3 - 2 * attempt)]
            answers.append([without_tokens(html).replace(code, "…") for html in (page.content.decode(), *typed)])
        assert answers[0] == answers[1], attempt
        assert "mã xác thực gồm 6 chữ số đã được gửi tới số điện thoại đăng ký" in answers[0][0]
        assert "Bạn còn 4 lần thử" in answers[0][1]
    assert len(codes_sent(sms_outbox)) == 5
    # 3 + 1 wrong tries on the holder's code: its fifth is still the holder's.
    assert holder.post(RESET_CODE, {"action": "verify", "code": reset_code})["Location"] == RESET_NEW


def reset_five_times_a_minute_apart(clock, *, network) -> dict:
    """A browser for a BHXH code with an account and one for a code without, each asking a reset five
    times a minute apart, from a new address of `network` each time: the hour's codes spent alike."""
    clients = {"7901234567": Client(), "7909999999": Client()}
    for attempt in range(5):
        for code, each in clients.items():
            each.post(RESET, reset_request(code), REMOTE_ADDR=f"{network}.{attempt}")
        clock.advance(61)
    return clients


def test_a_reset_asked_at_the_cap_answers_alike_for_an_unknown_bhxh_code(sms_outbox, clock):
    """Asked as many times within the hour, a BHXH code without an account meets the cap as a phone
    does: the same answer, the same minutes, the same tries left on the code step."""
    make_citizen()
    clients = reset_five_times_a_minute_apart(clock, network="10.0.1")
    assert len(codes_sent(sms_outbox)) == 5
    not_the_code = wrong_code(codes_sent(sms_outbox)[-1])
    answers = []
    for code, each in clients.items():
        each.post(RESET_CODE, {"action": "verify", "code": not_the_code})
        page = each.post(RESET, reset_request(code), REMOTE_ADDR="10.0.1.9", follow=True).content.decode()
        typed = each.post(RESET_CODE, {"action": "verify", "code": not_the_code}).content.decode()
        answers.append((without_tokens(page).replace(code, "…"), without_tokens(typed).replace(code, "…")))
    assert answers[0] == answers[1]
    assert f"{RESET_AT_CAP} 55 phút (từ " in answers[0][0] and "Bạn còn 3 lần thử" in answers[0][1]
    assert len(codes_sent(sms_outbox)) == 5


RESET_UNSENT = ("Nếu mã số BHXH này đã có tài khoản, chưa gửi mã mới tới số điện thoại đăng ký vì mã số BHXH này "
                "đã được yêu cầu đủ số mã cho phép mỗi giờ. Bạn có thể yêu cầu mã mới sau")


def test_a_reset_at_the_cap_with_no_code_waiting_offers_no_code_field_alike_for_an_unknown_bhxh_code(sms_outbox,
                                                                                                     clock):
    """The reset's code page, once the hour's codes are spent and the last has expired, says that no
    code was sent and when to ask, in place of a field whose code would only be called expired; a
    BHXH code without an account, asked as often, gets the same page."""
    make_citizen()
    clients = reset_five_times_a_minute_apart(clock, network="10.0.4")
    clock.advance(5 * 60)  # the last code has expired: none waits
    assert len(codes_sent(sms_outbox)) == 5
    answers = []
    for code, each in clients.items():
        page = each.post(RESET, reset_request(code), REMOTE_ADDR="10.0.4.9", follow=True).content.decode()
        assert page.count(RESET_UNSENT) == 1 and f"{RESET_UNSENT} 50 phút" in page
        assert 'name="code"' not in page and re.search(r"<title>\s*Lỗi: Nhập mã xác thực", page)
        typed = each.post(RESET_CODE, {"action": "verify", "code": "123456"}).content.decode()
        assert "hết hạn" not in typed and typed.count(RESET_UNSENT) == 1 and 'name="code"' not in typed
        again = each.post(RESET_CODE, {"action": "resend"}, follow=True).content.decode()
        assert again.count(RESET_UNSENT) == 1 and 'name="code"' not in again
        answers.append(tuple(without_tokens(html).replace(code, "…") for html in (page, typed, again)))
    assert answers[0] == answers[1]
    assert len(codes_sent(sms_outbox)) == 5

    clock.advance(50 * 60)  # the hour's codes have left the window
    known = clients["7901234567"]
    page = known.post(RESET, reset_request("7901234567"), follow=True).content.decode()
    assert 'name="code"' in page and RESET_UNSENT not in page and len(codes_sent(sms_outbox)) == 6
    assert known.post(RESET_CODE, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})["Location"] == RESET_NEW


def test_a_reset_code_voided_at_the_cap_is_no_code_waiting_alike_for_an_unknown_bhxh_code(sms_outbox, clock):
    """Five wrong tries void the last code of the hour: the page says that no new code was sent and
    when to ask, instead of a field whose every code is called void with "press resend", which the cap
    refuses."""
    make_citizen()
    clients = reset_five_times_a_minute_apart(clock, network="10.0.5")
    not_the_code = wrong_code(codes_sent(sms_outbox)[-1])
    answers = []
    for code, each in clients.items():
        for _ in range(5):
            each.post(RESET_CODE, {"action": "verify", "code": not_the_code})
        page = each.get(RESET_CODE).content.decode()
        assert page.count(RESET_UNSENT) == 1 and f"{RESET_UNSENT} 55 phút" in page and 'name="code"' not in page
        again = each.post(RESET_CODE, {"action": "resend"}, follow=True).content.decode()
        assert again.count(RESET_UNSENT) == 1 and 'name="code"' not in again
        answers.append(tuple(without_tokens(html).replace(code, "…") for html in (page, again)))
    assert answers[0] == answers[1]
    assert len(codes_sent(sms_outbox)) == 5


def test_a_login_code_voided_at_the_cap_is_no_code_waiting(client, sms_outbox, clock):
    make_citizen()
    submit_password(client)
    use_up_the_hour(sms_outbox)
    for _ in range(5):
        client.post(CONFIRM, {"action": "verify", "code": wrong_code(codes_sent(sms_outbox)[0])})
    page = client.get(CONFIRM).content.decode()
    assert page.count(NOT_SENT) == 1 and "Bạn có thể yêu cầu mã sau 60 phút" in page and 'name="code"' not in page


def test_a_reset_of_an_account_whose_phone_had_a_login_code_answers_as_an_unknown_bhxh_code(sms_outbox, clock):
    """The holder's own login code counts on the phone's cap, not on the reset's: a stranger asking
    for resets of the account's BHXH code, from two addresses, meets the same answers, minutes and
    tries left as for a BHXH code without an account, and the phone still gets at most its 5 codes."""
    user = make_citizen()
    send(RequestFactory().post("/"), subject=str(user.pk))  # the holder's login code
    clock.advance(40 * 60)
    clients = {"7901234567": Client(), "7909999999": Client()}
    for attempt in range(6):
        answers = []
        for code, each in clients.items():
            page = each.post(RESET, reset_request(code), REMOTE_ADDR=f"10.0.6.{attempt % 2}", follow=True)
            answers.append(without_tokens(page.content.decode()).replace(code, "…"))
        assert answers[0] == answers[1], attempt
        assert len(codes_sent(sms_outbox)) == min(attempt + 2, 5)
        clock.advance(61)
    assert f"{RESET_AT_CAP} 55 phút (từ " in answers[0]
    not_the_code = wrong_code(codes_sent(sms_outbox)[-1])
    typed = [without_tokens(each.post(RESET_CODE, {"action": "verify", "code": not_the_code}).content.decode())
             .replace(code, "…") for code, each in clients.items()]
    assert typed[0] == typed[1] and "Bạn còn 4 lần thử" in typed[0]
    assert len(codes_sent(sms_outbox)) == 5
