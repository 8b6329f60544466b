"""The password reset request against SMS pumping: each request that sends a code costs a solved
challenge (accounts.services.challenge, as the BHXH-code lookup's), spent by its first use, and the
requests that would send are limited per client address whatever BHXH code they name
(ACCOUNT_RESET_PER_CLIENT_RATE); an account and an unknown BHXH code are answered alike."""

import math
import re

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory

from accounts.services.challenge import CHALLENGE_MAX_AGE, ChallengePurpose
from tests.accounts import test_otp
from tests.accounts.helpers import clear_of_window_ends, reset_request, seconds_left, solved_challenge
from tests.accounts.test_code_lookup import answer_from, fail_challenge, token_from
from tests.accounts.test_otp import codes_sent, make_citizen

pytestmark = pytest.mark.django_db(transaction=True)  # codes are sent on commit

# A reset asked again within the minute, said alike whether the BHXH code has an account or not.
ASKED_TOO_SOON = ("Nếu mã số BHXH này đã có tài khoản, mã xác thực vừa được gửi tới số điện thoại đăng ký. "
                  "Bạn có thể yêu cầu mã mới sau")

clock = test_otp.clock  # the shared fixture; pytest finds it as an attribute of this module

RESET, RESET_CODE = "/tai-khoan/quen-mat-khau/", "/tai-khoan/quen-mat-khau/xac-thuc/"
KNOWN, UNKNOWN = "7901234567", "7909999999"
CHALLENGE_FAILED = "Câu trả lời kiểm tra chưa đúng hoặc đã hết hạn. Hãy trả lời câu hỏi mới bên dưới."
LIMITED = "Bạn đã yêu cầu đặt lại mật khẩu quá nhiều lần trong thời gian ngắn. Hãy thử lại sau"


def page_alike(response, code) -> str:
    """The page without what differs from one load to the next (CSRF token, challenge, its question)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'(name="challenge" value="|data-pow-token=")[^"]+"', r"\1", html)
    html = re.sub(r"Câu hỏi kiểm tra: [^<]+", "Câu hỏi kiểm tra: …", html)
    return html.replace(code, "…")


def test_the_page_asks_the_challenge_with_a_question_for_a_browser_without_javascript(client):
    html = client.get(RESET).content.decode()
    assert "data-pow-token" in html and "js/code-lookup-pow.js" in html
    assert re.search(r'<label for="id_answer"[^>]*>\s*Câu hỏi kiểm tra: [1-9]\d cộng [1-9]\d bằng mấy\?', html)
    assert "<script>" not in html  # CSP: no inline script


def test_the_page_is_kept_by_no_cache_since_its_challenge_serves_once(client):
    """A page shown again from a cache (Back, a reopened tab) would post a challenge already spent."""
    first, again = client.get(RESET), client.get(RESET)
    assert "no-store" in first["Cache-Control"] and token_from(first) != token_from(again)


@pytest.mark.parametrize("challenge", ["missing", "wrong_answer", "other_form"])
def test_a_reset_without_a_solved_challenge_is_refused_and_sends_nothing(sms_outbox, challenge):
    make_citizen()
    answers = []
    for code in (KNOWN, UNKNOWN):
        client = Client()
        page = client.get(RESET)
        data = {"bhxh_code": code, "challenge": token_from(page), "work": "", "answer": ""}
        if challenge == "missing":
            data["challenge"] = ""
            data["answer"] = answer_from(page)
        elif challenge == "wrong_answer":
            data["answer"] = str(int(answer_from(page)) + 1)
        else:  # solved, but made for the BHXH-code lookup
            data.update(solved_challenge(ChallengePurpose.CODE_LOOKUP))
        response = client.post(RESET, data)
        html = response.content.decode()
        assert response.status_code == 200 and CHALLENGE_FAILED in html
        # the error beside the question, which reads it out, and in the summary linking to it
        assert 'id="id_answer_error"' in html and re.search(r'aria-describedby="[^"]*id_answer_error', html)
        assert f'<a href="#id_answer">{CHALLENGE_FAILED}</a>' in html
        assert f'value="{code}"' in html  # what was typed is kept
        assert "portal_password_reset" not in client.session
        answers.append(page_alike(response, code))
    assert answers[0] == answers[1]
    assert sms_outbox() == []


def test_a_reset_with_the_challenge_solved_sends_the_code(sms_outbox):
    make_citizen()
    client = Client()
    response = client.post(RESET, reset_request(KNOWN))
    assert response.status_code == 302 and response["Location"] == RESET_CODE
    assert len(codes_sent(sms_outbox)) == 1


def test_a_login_an_officer_deactivated_is_sent_no_reset_code(sms_outbox):
    """Only the agency opens a deactivated login again: "Quên mật khẩu" answers as for any BHXH code and
    texts its phone no code that would set a new password."""
    make_citizen(is_active=False)
    response = Client().post(RESET, reset_request(KNOWN))
    assert response.status_code == 302 and response["Location"] == RESET_CODE
    assert codes_sent(sms_outbox) == []


def test_a_reset_with_the_question_answered_without_javascript_sends_the_code(client, sms_outbox):
    make_citizen()
    page = client.get(RESET)
    response = client.post(RESET, {"bhxh_code": KNOWN, "challenge": token_from(page), "answer": answer_from(page)})
    assert response.status_code == 302 and response["Location"] == RESET_CODE
    assert len(codes_sent(sms_outbox)) == 1


def test_a_spent_challenge_cannot_be_replayed(sms_outbox, clock):
    make_citizen()
    data = reset_request(KNOWN)
    assert Client().post(RESET, data)["Location"] == RESET_CODE
    clock.advance(61)  # past the resend wait: only the spent challenge refuses it
    replay = Client().post(RESET, data)
    assert replay.status_code == 200 and CHALLENGE_FAILED in replay.content.decode()
    assert len(codes_sent(sms_outbox)) == 1


def test_the_requests_of_one_client_are_limited_across_bhxh_codes(settings, sms_outbox, clock):
    """One address asking resets for many BHXH codes, each a text message to another phone, is
    refused past ACCOUNT_RESET_PER_CLIENT_RATE, whichever code it names, an account or none alike."""
    settings.ACCOUNT_RESET_PER_CLIENT_RATE = "3/h"
    make_citizen()
    address = "198.51.100.7"
    for code in ("7909999991", "7909999992", "7909999993"):
        assert Client(REMOTE_ADDR=address).post(RESET, reset_request(code))["Location"] == RESET_CODE
    refused = []
    for code in (KNOWN, UNKNOWN):
        response = Client(REMOTE_ADDR=address).post(RESET, reset_request(code))
        html = response.content.decode()
        assert response.status_code == 429 and LIMITED in html
        assert response["Retry-After"] == "3600"  # until the first of them is an hour old
        assert f'value="{code}"' in html and 'id="id_answer_error"' not in html  # kept as typed, nothing wrong in it
        refused.append(page_alike(response, code))
    assert refused[0] == refused[1]
    assert codes_sent(sms_outbox) == []
    # another address is served
    assert Client(REMOTE_ADDR="192.0.2.44").post(RESET, reset_request(KNOWN))["Location"] == RESET_CODE
    assert len(codes_sent(sms_outbox)) == 1


def test_the_limit_counts_an_ipv6_network_as_one_client(settings):
    settings.ACCOUNT_RESET_PER_CLIENT_RATE = "1/h"
    assert Client(REMOTE_ADDR="2001:db8:1:2::1").post(RESET, reset_request(UNKNOWN))["Location"] == RESET_CODE
    assert Client(REMOTE_ADDR="2001:db8:1:2::99").post(RESET, reset_request("7909999991")).status_code == 429


def test_a_refused_challenge_or_a_mistyped_code_counts_no_request(settings):
    settings.ACCOUNT_RESET_PER_CLIENT_RATE = "1/h"
    client = Client()
    assert client.post(RESET, {"bhxh_code": UNKNOWN}).status_code == 200  # no challenge
    assert client.post(RESET, reset_request("12345")).status_code == 200  # not a BHXH code
    assert client.post(RESET, reset_request(UNKNOWN))["Location"] == RESET_CODE
    assert client.post(RESET, reset_request("7909999991")).status_code == 429  # the one request it had


def test_a_code_sent_again_counts_against_the_clients_requests(settings, sms_outbox, clock):
    """"Gửi lại mã" on the code page sends another code: it is a request of the client, counted and
    refused past ACCOUNT_RESET_PER_CLIENT_RATE as the first one is, with the code field still there."""
    settings.ACCOUNT_RESET_PER_CLIENT_RATE = "2/h"
    make_citizen()
    clear_of_window_ends(clock, ("198.51.100.7",), 2 * 61 + 60)
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert client.post(RESET, reset_request(KNOWN))["Location"] == RESET_CODE
    clock.advance(61)
    assert client.post(RESET_CODE, {"action": "resend"})["Location"] == RESET_CODE
    clock.advance(61)
    refused = client.post(RESET_CODE, {"action": "resend"})
    html = refused.content.decode()
    assert refused.status_code == 429 and LIMITED in html
    assert refused["Retry-After"] == str(3600 - 2 * 61)  # until the first request is an hour old
    assert 'name="code"' in html and "errorlist" not in html  # the code already sent may still be typed
    assert len(codes_sent(sms_outbox)) == 2
    assert Client(REMOTE_ADDR="198.51.100.7").post(RESET, reset_request(UNKNOWN)).status_code == 429


FAILURES_LIMITED = "Câu hỏi kiểm tra đã bị trả lời sai quá nhiều lần từ mạng bạn đang dùng. Hãy thử lại sau"


def wrong_answer(client, code=UNKNOWN) -> dict:
    """The reset request for `code` with a wrong answer to the page's question, as a script guessing it posts."""
    page = client.get(RESET)
    return {"bhxh_code": code, "challenge": token_from(page), "answer": str(int(answer_from(page)) + 1)}


def test_past_the_failed_challenges_a_client_may_have_its_resets_are_refused_alike(settings, sms_outbox):
    """Each challenge failed is counted under the client's address; past CHALLENGE_FAILURE_RATE even a solved one
    is refused, with a 429 saying the wait, alike for an account and an unknown BHXH code, and sends nothing."""
    settings.CHALLENGE_FAILURE_RATE = "3/h"
    make_citizen()
    address = "198.51.100.7"
    for code in (KNOWN, UNKNOWN, KNOWN):
        client = Client(REMOTE_ADDR=address)
        failed = client.post(RESET, wrong_answer(client, code))
        assert failed.status_code == 200 and CHALLENGE_FAILED in failed.content.decode()
    refused = []
    for code in (KNOWN, UNKNOWN):
        client = Client(REMOTE_ADDR=address)
        response = client.post(RESET, reset_request(code))
        html = response.content.decode()
        assert response.status_code == 429 and FAILURES_LIMITED in html
        assert abs(int(response["Retry-After"]) - seconds_left("3/h", address)) <= 1
        assert f'value="{code}"' in html and 'id="id_answer_error"' not in html  # kept as typed, nothing wrong in it
        assert "portal_password_reset" not in client.session
        refused.append(page_alike(response, code))
    assert refused[0] == refused[1]
    assert codes_sent(sms_outbox) == []
    assert Client(REMOTE_ADDR="192.0.2.44").post(RESET, reset_request(KNOWN))["Location"] == RESET_CODE


def test_the_challenges_failed_on_the_code_lookup_count_against_the_reset_too(settings, reference_data):
    """One count for both forms: a script cannot double its guesses by turning to the other."""
    settings.CHALLENGE_FAILURE_RATE = "3/h"
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(2):
        assert fail_challenge(client, ip="198.51.100.7").status_code == 400
    assert client.post(RESET, wrong_answer(client)).status_code == 200
    assert client.post(RESET, reset_request(UNKNOWN)).status_code == 429
    assert client.post("/tra-cuu/ma-so-bhxh/", {"challenge": ""}).status_code == 429


def test_a_double_click_or_a_page_left_open_is_asked_again_and_counts_no_failed_challenge(settings, sms_outbox,
                                                                                         clock):
    """A challenge posted again (a double click: the second post carries the spent one) or past its 10 minutes (a
    page left open) is refused, the page asking a new question, but not counted against CHALLENGE_FAILURE_RATE,
    which a carrier's address shares: only a wrong answer or wrong work on a challenge still good is."""
    settings.CHALLENGE_FAILURE_RATE = "1/h"
    make_citizen()
    client = Client(REMOTE_ADDR="198.51.100.7")
    page = client.get(RESET)
    clock.advance(CHALLENGE_MAX_AGE + 1)
    late = client.post(RESET, {"bhxh_code": KNOWN, "challenge": token_from(page), "answer": answer_from(page)})
    assert late.status_code == 200 and CHALLENGE_FAILED in late.content.decode()
    data = reset_request(KNOWN)
    assert client.post(RESET, data)["Location"] == RESET_CODE
    twice = client.post(RESET, data)
    assert twice.status_code == 200 and CHALLENGE_FAILED in twice.content.decode()
    assert client.post(RESET, reset_request(UNKNOWN))["Location"] == RESET_CODE
    assert client.post(RESET, wrong_answer(client)).status_code == 200  # a wrong answer is counted
    assert client.post(RESET, reset_request(UNKNOWN)).status_code == 429
    assert len(codes_sent(sms_outbox)) == 1


def requests_counted(address: str) -> int:
    """The reset requests ACCOUNT_RESET_PER_CLIENT_RATE has counted for the client `address` within its last
    hour (allauth's limiter's records); counts nothing."""
    return len(requests_counted_at(address))


def requests_counted_at(address: str) -> list[float]:
    """The times of the reset requests ACCOUNT_RESET_PER_CLIENT_RATE has counted for the client `address` within
    its last hour (allauth's limiter's records); counts nothing."""
    import time

    from allauth.core.internal import ratelimit
    from django.conf import settings
    from django.core.cache import cache

    from accounts.services.password_reset import RESET_CLIENT_ACTION

    rate = ratelimit.parse_rate(settings.ACCOUNT_RESET_PER_CLIENT_RATE)
    key = ratelimit.get_cache_key(RequestFactory().post(RESET, REMOTE_ADDR=address), app="allauth.account",
                                  action=RESET_CLIENT_ACTION, rate=rate)
    return [at for at in cache.get(key, []) if at > time.time() - rate.duration]


def test_a_reset_asked_again_at_once_spends_none_of_the_clients_requests_alike_for_an_unknown_code(sms_outbox,
                                                                                                     clock):
    """A double click, or four: the BHXH code's own limits refuse the requests after the first (the code was just
    sent, then allauth's 5 a minute for one BHXH code), and a request they refuse sends nothing, so it is not
    counted against the client's ACCOUNT_RESET_PER_CLIENT_RATE; answered alike for an account and an unknown code.
    On a clock that stands still: the refusals count down the seconds to a new code from the first request, so
    two clicks asked a second further apart for one code than for the other would be told 59 and 60."""
    make_citizen()
    answers = {}
    for address, code in (("198.51.100.7", KNOWN), ("198.51.100.8", UNKNOWN)):
        client = Client(REMOTE_ADDR=address)
        assert client.post(RESET, reset_request(code))["Location"] == RESET_CODE
        assert requests_counted(address) == 1
        again = client.post(RESET, reset_request(code), follow=True)  # within the minute: the code was just sent
        assert again.redirect_chain == [(RESET_CODE, 302)] and ASKED_TOO_SOON in again.content.decode()
        for _ in range(3):
            client.post(RESET, reset_request(code))
        refused = client.post(RESET, reset_request(code))  # allauth's limit on resets of one BHXH code
        assert refused.status_code == 429 and LIMITED in refused.content.decode()
        assert requests_counted(address) == 1
        answers[code] = (page_alike(again, code), page_alike(refused, code))
    assert answers[KNOWN] == answers[UNKNOWN]
    assert len(codes_sent(sms_outbox)) == 1


def test_a_code_asked_again_too_soon_or_past_the_codes_hourly_share_spends_none_of_the_clients_requests(
        sms_outbox, clock):
    """"Gửi lại mã" clicked within the minute, or once the BHXH code had this client's share of its codes of the
    hour, sends nothing: the client's count of requests stays as it was."""
    make_citizen()
    address = "198.51.100.7"
    clear_of_window_ends(clock, (address,), 3 * 61 + 60)
    client = Client(REMOTE_ADDR=address)
    assert client.post(RESET, reset_request(KNOWN))["Location"] == RESET_CODE
    too_soon = client.post(RESET_CODE, {"action": "resend"}, follow=True)
    assert ASKED_TOO_SOON in too_soon.content.decode() and requests_counted(address) == 1
    for sent in (2, 3):  # the client's share of the BHXH code's codes of the hour ("otp_send_reset_client")
        clock.advance(61)
        assert client.post(RESET_CODE, {"action": "resend"})["Location"] == RESET_CODE
        assert requests_counted(address) == sent
    clock.advance(61)
    at_share = client.post(RESET_CODE, {"action": "resend"}, follow=True)
    assert "mạng bạn đang dùng đã yêu cầu đủ số mã cho phép" in at_share.content.decode()
    assert requests_counted(address) == 3 and len(codes_sent(sms_outbox)) == 3


def test_a_request_given_back_takes_back_its_own_count_only(monkeypatch, clock):
    """A double click given back once the BHXH code's limits refused it takes back its own count of the client's
    ACCOUNT_RESET_PER_CLIENT_RATE, whenever given back: a request counted meanwhile (another browser behind the
    same address) stays counted."""
    from accounts import otp
    from accounts.services.password_reset import password_reset_client_count

    address = "198.51.100.9"
    client = Client(REMOTE_ADDR=address)
    assert client.post(RESET, reset_request(UNKNOWN))["Location"] == RESET_CODE
    [first] = requests_counted_at(address)
    asked, other = otp.reset_code_ask, []

    def another_browser_meanwhile(request, *, subject):
        clock.advance(1)
        other.append(password_reset_client_count(request=RequestFactory().post(RESET, REMOTE_ADDR=address),
                                                 count=True))
        return asked(request, subject=subject)

    monkeypatch.setattr(otp, "reset_code_ask", another_browser_meanwhile)
    again = client.post(RESET, reset_request(UNKNOWN), follow=True)  # within the minute: refused, given back
    assert ASKED_TOO_SOON in again.content.decode()
    # the first request's time and the other browser's stay, the double click's alone is taken back
    assert requests_counted_at(address) == [other[0].usage[0].timestamp, first]


def test_a_client_cannot_spend_twice_its_requests_across_the_end_of_an_hour(settings, clock):
    """The client's requests are counted over the last hour whatever its minute, not in hours that end at a
    given second: a script spending ACCOUNT_RESET_PER_CLIENT_RATE just before such an end and as many just
    after is refused past the limit, told to wait until its first request is an hour old, as Retry-After says."""
    from django_ratelimit.core import _get_window

    settings.ACCOUNT_RESET_PER_CLIENT_RATE = "3/h"
    address = "198.51.100.21"
    clock.now = _get_window(address, 3600) - 5 + 0.5  # 5 seconds before an hourly window would end
    first = clock.now
    for code in ("7909999981", "7909999982", "7909999983"):
        assert Client(REMOTE_ADDR=address).post(RESET, reset_request(code))["Location"] == RESET_CODE
        clock.advance(1)
    clock.advance(7)  # past the end of that window
    refused = Client(REMOTE_ADDR=address).post(RESET, reset_request("7909999984"))
    assert refused.status_code == 429 and LIMITED in refused.content.decode()
    assert int(refused["Retry-After"]) == math.ceil(first + 3600 - clock.now)
    clock.now = first + 3600 + 0.5  # the first request is an hour old, not the others: one more is let through
    assert Client(REMOTE_ADDR=address).post(RESET, reset_request("7909999985"))["Location"] == RESET_CODE
    assert Client(REMOTE_ADDR=address).post(RESET, reset_request("7909999986")).status_code == 429


def test_send_again_clicked_twice_as_the_minute_ends_sends_one_code(monkeypatch, sms_outbox, clock):
    """Two posts of "Gửi lại mã" at once, just as the minute since the last code ends while the cache still
    holds that code's time (Redis lets a record outlive the time it holds by the moments between them, and
    by the difference of two web servers' clocks), send one code between them: the post that takes the
    wait over sends, the other is told that a code was just sent, and its request is given back."""
    from allauth.core.internal import ratelimit as ratelimit_internals

    from accounts import otp

    monkeypatch.setattr(ratelimit_internals, "CACHE_LOCK_WAIT_TIMEOUT", 0.05)  # the test need not wait a second
    make_citizen()
    address = "198.51.100.31"
    browser = Client(REMOTE_ADDR=address)
    assert browser.post(RESET, reset_request(KNOWN))["Location"] == RESET_CODE
    wait = f"{otp._key(otp.Purpose.PASSWORD_RESET, KNOWN)}:cooldown"
    backend = caches["default"]
    backend.set(wait, backend.get(wait), 600)  # the record outlives the minute it holds
    clock.advance(otp.RESEND_AFTER + 1)
    second_tab = Client(REMOTE_ADDR=address)
    second_tab.cookies = browser.cookies
    read, clicked = backend.get, []

    def second_click_meanwhile(key, *args, **kwargs):
        value = read(key, *args, **kwargs)
        if key == wait and read(f"{wait}:lock") and not clicked:  # the first post has read the last code's time
            clicked.append(None)  # the second comes, once
            clicked[0] = second_tab.post(RESET_CODE, {"action": "resend"}, follow=True)
        return value

    monkeypatch.setattr(backend, "get", second_click_meanwhile)
    first = browser.post(RESET_CODE, {"action": "resend"}, follow=True)
    monkeypatch.setattr(backend, "get", read)
    pages = [first.content.decode(), clicked[0].content.decode()]
    assert len(codes_sent(sms_outbox)) == 2  # the reset's own and one sent again
    assert sum(ASKED_TOO_SOON in page for page in pages) == 1
    assert requests_counted(address) == 2
