"""SECRET_KEY rotated (the old key moved to SECRET_KEY_FALLBACKS) while a citizen is between two steps:
a login waiting at its confirmation, a reset whose code was accepted, a logged-in session. What the
old key signed before the rotation still counts, as the session itself does."""

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.internal.flows import trust
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from allauth.usersessions.models import UserSession
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.middleware import BACKGROUND_HEADER_VALUE
from accounts.stages import _config_fingerprints
from tests.accounts import test_otp
from tests.accounts.helpers import reset_request
from tests.accounts.test_login import CONFIRM, LOGIN, PERSONAL, is_logged_in, log_in, submit_password
from tests.accounts.test_otp import codes_sent, make_citizen
from tests.accounts.test_sessions import (
    ELSEWHERE,
    RESET,
    RESET_CODE,
    RESET_NEW,
    SECURITY,
    lands_on_login_with,
    session_key,
)

# Codes go out when the transaction commits, as in production: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

# The shared fixtures; pytest finds them as attributes of this module.
clock, fresh_cache = test_otp.clock, test_otp.fresh_cache

PASSWORD_CHANGED = "Mật khẩu tài khoản vừa được thay đổi"


def test_the_session_hash_of_the_password_holds_under_the_old_key_until_the_password_changes(rotate_secret_key):
    user = make_citizen()
    seen_before = user.get_session_auth_hash()
    rotate_secret_key()
    assert user.get_session_auth_hash() != seen_before
    assert user.has_session_auth_hash(seen_before) and user.has_session_auth_hash(user.get_session_auth_hash())
    user.set_password("Mat-khau-moi-rat-dai-2026")
    assert not user.has_session_auth_hash(seen_before)
    rotate_secret_key.drop_old()
    assert not user.has_session_auth_hash(seen_before) and not user.has_session_auth_hash("")


def test_a_login_waiting_for_its_code_when_the_key_is_rotated_goes_on(sms_outbox, rotate_secret_key):
    make_citizen()
    browser = Client()
    assert submit_password(browser)["Location"] == CONFIRM
    rotate_secret_key()
    response = browser.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]}, follow=True)
    assert PASSWORD_CHANGED not in response.content.decode()
    assert is_logged_in(browser)


def test_a_reset_whose_code_was_accepted_before_the_key_was_rotated_saves_the_new_password(
        sms_outbox, rotate_secret_key):
    user = make_citizen()
    owner = Client()
    owner.post(RESET, reset_request("7901234567"))
    assert owner.post(RESET_CODE, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})["Location"] == RESET_NEW
    new = "Mat-khau-sau-khi-quen-2026"
    rotate_secret_key()
    assert owner.get(RESET_NEW).status_code == 200
    response = owner.post(RESET_NEW, {"password1": new, "password2": new}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "Mật khẩu của bạn đã được thay đổi." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(new)


def test_a_reset_whose_password_changed_meanwhile_still_starts_again_after_a_rotation(sms_outbox, rotate_secret_key):
    user = make_citizen()
    owner = Client()
    owner.post(RESET, reset_request("7901234567"))
    owner.post(RESET_CODE, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})
    user.set_password("Mat-khau-doi-trong-luc-do-2026")
    user.save()
    rotate_secret_key()
    new = "Mat-khau-sau-khi-quen-2026"
    response = owner.post(RESET_NEW, {"password1": new, "password2": new}, follow=True)
    assert response.redirect_chain == [(RESET, 302)]
    user.refresh_from_db()
    assert user.check_password("Mat-khau-doi-trong-luc-do-2026")


def test_a_session_given_a_new_key_by_the_rotation_is_still_ended_by_a_login_elsewhere(sms_outbox, rotate_secret_key):
    """Django gives a session whose login was signed with a fallback key a new session key: its row in
    the session list moves to that key at once (keeping its time of login), so a login on another
    device within the minute ends it as the single-session rule says."""
    make_citizen()
    first, second = Client(), Client()
    log_in(first, sms_outbox)
    assert is_logged_in(first)
    before = session_key(first)
    logged_in_at = UserSession.objects.get(session_key=before).created_at
    rotate_secret_key()
    assert is_logged_in(first)
    cycled = session_key(first)
    assert cycled != before
    row = UserSession.objects.get()
    assert (row.session_key, row.created_at) == (cycled, logged_in_at)
    log_in(second, sms_outbox)
    assert is_logged_in(second)
    assert lands_on_login_with(first, ELSEWHERE)
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [session_key(second)]


def test_a_scripts_own_request_after_the_rotation_moves_the_row_without_seeing_activity(sms_outbox, rotate_secret_key):
    """A request a page's script makes by itself (the card QR's refresh) is not activity in the session
    list, but the row still follows a key the rotation renewed, so a login elsewhere ends that session."""
    make_citizen()
    first, second = Client(), Client()
    log_in(first, sms_outbox)
    assert is_logged_in(first)
    before = UserSession.objects.get()
    rotate_secret_key()
    assert first.get(PERSONAL, HTTP_X_REQUESTED_WITH=BACKGROUND_HEADER_VALUE).status_code == 200
    cycled = session_key(first)
    assert cycled != before.session_key
    row = UserSession.objects.get()
    assert (row.session_key, row.created_at, row.last_seen_at) == (cycled, before.created_at, before.last_seen_at)
    assert is_logged_in(first)
    log_in(second, sms_outbox)
    assert lands_on_login_with(first, ELSEWHERE)


def test_the_security_page_as_the_first_request_after_the_rotation_keeps_the_citizen_logged_in(
        sms_outbox, rotate_secret_key):
    """The security page lists the account's sessions, which has allauth read each listed session's
    login again: the session whose key the rotation renewed is stored with the hash its new key made,
    so that read does not renew it a second time under the page (a 400 and a citizen logged out)."""
    make_citizen()
    browser = Client()
    log_in(browser, sms_outbox)
    rotate_secret_key()
    response = browser.get(SECURITY)
    assert response.status_code == 200
    assert is_logged_in(browser)
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [session_key(browser)]


def test_a_password_typed_elsewhere_after_the_rotation_leaves_the_logged_in_browser_logged_in(
        sms_outbox, rotate_secret_key):
    """The confirmation step lists the account's other sessions: read without Django's check of each
    one's login, which would renew the key of a session signed with the old key and so log out,
    without a word, a citizen whose browser has made no request since the rotation."""
    make_citizen()
    owner = Client()
    log_in(owner, sms_outbox)
    rotate_secret_key()
    stranger = Client()
    assert submit_password(stranger)["Location"] == CONFIRM
    assert stranger.get(CONFIRM).status_code == 200
    assert is_logged_in(owner)


def test_a_browser_trusted_before_the_rotation_logs_in_without_a_code_until_the_old_key_is_dropped(
        sms_outbox, rotate_secret_key):
    """The trust is bound to the account's security setup by a hash keyed with SECRET_KEY: made anew with
    the new key only, every browser was asked for a code at once, one SMS for each citizen logging in."""
    make_citizen()
    browser = Client()
    log_in(browser, sms_outbox)
    trusted_until = browser.get(SECURITY).content.decode().split("không cần mã xác thực đến ", 1)[1][:16]
    browser.post("/tai-khoan/dang-xuat/")
    rotate_secret_key()
    assert submit_password(browser)["Location"] == PERSONAL
    assert len(codes_sent(sms_outbox)) == 1
    assert f"không cần mã xác thực đến {trusted_until}" in browser.get(SECURITY).content.decode()
    browser.post("/tai-khoan/dang-xuat/")
    rotate_secret_key.drop_old()
    assert submit_password(browser)["Location"] == CONFIRM


def test_the_trust_fingerprint_under_the_current_key_is_allauths_own(rotate_secret_key):
    """`_config_fingerprints` repeats allauth.mfa's recipe under each key: under SECRET_KEY it must give what
    allauth gives, authenticators and their seeds included, or a browser trusted by allauth would never be."""
    user = make_citizen()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "a1b2c3"})
    rotate_secret_key()
    fingerprints = _config_fingerprints(user)
    assert fingerprints[0] == trust.create_config_fingerprint(user)
    assert len(set(fingerprints)) == 2


def test_a_browser_trusted_for_an_authenticator_app_before_the_rotation_logs_in_without_its_code_until_the_old_key_is_dropped(
        rotate_secret_key, clock):
    """allauth.mfa's app-code step read the trust under SECRET_KEY only (trust.is_trusted_browser): after a
    rotation it asked every account with an authenticator app for the app's code at once, while the SMS step
    kept its trusted browsers. Both read it under each key now, and the security page says what the next
    login does."""
    secret = generate_totp_secret()
    user = make_citizen()
    TOTP.activate(user, secret)
    browser = Client()
    trusted = HttpResponse()  # the cookie allauth.mfa gives a browser it trusts after the app's code
    trust.trust_browser(RequestFactory().get("/"), user, trusted)
    browser.cookies[mfa_settings.TRUST_COOKIE_NAME] = trusted.cookies[mfa_settings.TRUST_COOKIE_NAME].value
    rotate_secret_key()
    assert submit_password(browser)["Location"] == PERSONAL
    assert "Trình duyệt này là thiết bị tin cậy" in browser.get(SECURITY).content.decode()
    browser.post("/tai-khoan/dang-xuat/")
    rotate_secret_key.drop_old()
    assert submit_password(browser)["Location"] == reverse("mfa_authenticate")
    browser.post(reverse("mfa_authenticate"), {"code": f"{hotp_value(secret, int(clock.now) // 30):06d}"})
    assert is_logged_in(browser)
    html = browser.get(SECURITY).content.decode()
    assert "Trình duyệt này là thiết bị tin cậy" not in html
    assert "lần đăng nhập tới sẽ cần mã từ ứng dụng xác thực của bạn" in html
