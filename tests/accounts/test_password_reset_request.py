"""The password reset request against SMS pumping: each request that sends a code costs a solved
challenge (accounts.services.challenge, as the BHXH-code lookup's), spent by its first use; an
account and an unknown BHXH code are answered alike."""

import re

import pytest
from django.test import Client

from accounts.services.challenge import ChallengePurpose
from tests.accounts import test_otp
from tests.accounts.helpers import reset_request, solved_challenge
from tests.accounts.test_code_lookup import answer_from, token_from
from tests.accounts.test_otp import codes_sent, make_citizen

pytestmark = pytest.mark.django_db(transaction=True)  # codes are sent on commit

clock = test_otp.clock  # the shared fixture; pytest finds it as an attribute of this module

RESET, RESET_CODE = "/tai-khoan/quen-mat-khau/", "/tai-khoan/quen-mat-khau/xac-thuc/"
KNOWN, UNKNOWN = "7901234567", "7909999999"
CHALLENGE_FAILED = "Câu trả lời kiểm tra chưa đúng hoặc đã hết hạn. Hãy trả lời câu hỏi mới bên dưới."


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
    assert re.search(r'<label for="id_answer"[^>]*>\s*Câu hỏi kiểm tra: \w+ cộng \w+ bằng mấy\?', html)
    assert "<script>" not in html  # CSP: no inline script


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

