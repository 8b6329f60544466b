"""What a password change leaves as it was for the browser that made it: the language switch on
the forced "Đặt mật khẩu mới" page, and the time of login in the session list. (Its trust goes,
with every other browser's: the trusted-browser cookie is bound to the password.)"""

import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings

from tests.accounts import test_otp
from tests.accounts.test_login import NEW_PASSWORD, PERSONAL, log_in
from tests.accounts.test_otp import PASSWORD, codes_sent, make_citizen
from tests.accounts.test_sessions import CHANGE, CHANGE_CONFIRM, SECURITY, session_key

pytestmark = pytest.mark.django_db(transaction=True)

# The shared fixtures; pytest finds them as attributes of this module.
clock, fresh_cache = test_otp.clock, test_otp.fresh_cache

NEW = "một câu dài dễ nhớ về con mèo"


def change_password(client, sms_outbox, new=NEW):
    client.post(CHANGE, {"oldpassword": PASSWORD, "password1": new, "password2": new})
    response = client.post(CHANGE_CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})
    assert response.status_code == 302 and response["Location"] == SECURITY
    return response


def test_the_language_switch_works_on_the_forced_new_password_page(client, sms_outbox):
    make_citizen(must_change_password=True)
    log_in(client, sms_outbox)
    page = f"{NEW_PASSWORD}?next=%2Fca-nhan%2F"
    response = client.post("/i18n/setlang/", {"language": "en", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en"' in client.get(page).content.decode()

    response = client.post(page, {"password1": NEW, "password2": NEW})
    assert response["Location"] == PERSONAL


def test_a_language_switch_kept_as_next_is_not_followed_after_the_new_password(client, sms_outbox):
    make_citizen(must_change_password=True)
    log_in(client, sms_outbox)
    response = client.post(f"{NEW_PASSWORD}?next=%2Fi18n%2Fsetlang%2F", {"password1": NEW, "password2": NEW})
    assert response.status_code == 302 and response["Location"] == PERSONAL


def test_the_session_list_keeps_the_time_of_login_across_a_password_change(client, sms_outbox):
    make_citizen()
    log_in(client, sms_outbox)
    logged_in_at = datetime.datetime(2026, 3, 2, 1, 5, tzinfo=datetime.UTC)  # 08:05 in Vietnam
    UserSession.objects.filter(session_key=session_key(client)).update(created_at=logged_in_at)
    before = session_key(client)

    change_password(client, sms_outbox)
    assert session_key(client) != before  # the key is cycled…
    assert UserSession.objects.get(session_key=session_key(client)).created_at == logged_in_at  # …not the login
    html = client.get(SECURITY).content.decode()
    assert html.count('<tr role="row">') == 2
    assert ">02/03/2026 08:05</td>" in html


def test_the_forced_change_keeps_the_time_of_login_too(client, sms_outbox):
    make_citizen(must_change_password=True)
    log_in(client, sms_outbox)
    logged_in_at = datetime.datetime(2026, 3, 2, 1, 5, tzinfo=datetime.UTC)
    UserSession.objects.filter(session_key=session_key(client)).update(created_at=logged_in_at)
    before = session_key(client)
    assert client.post(NEW_PASSWORD, {"password1": NEW, "password2": NEW})["Location"] == PERSONAL
    assert session_key(client) != before
    assert UserSession.objects.get(session_key=session_key(client)).created_at == logged_in_at
