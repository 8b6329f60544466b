"""What a password change leaves as it was for the browser that made it: the language switch on
the forced "Đặt mật khẩu mới" page."""

import pytest
from django.conf import settings

from tests.accounts import test_otp
from tests.accounts.test_login import NEW_PASSWORD, PERSONAL, log_in
from tests.accounts.test_otp import make_citizen

pytestmark = pytest.mark.django_db(transaction=True)

# The shared fixtures; pytest finds them as attributes of this module.
clock, fast_password_hashing, fresh_cache = test_otp.clock, test_otp.fast_password_hashing, test_otp.fresh_cache

NEW = "một câu dài dễ nhớ về con mèo"


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
