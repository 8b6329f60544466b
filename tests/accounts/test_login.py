"""Login on django-allauth: BHXH code + password, the new-device SMS code and the trusted browser,
the forced password change, the password rules and the failed-login limits."""

import datetime
import itertools
import math
import re

import pytest
from allauth.account import app_settings as account_settings
from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts import otp
from accounts.forms_auth import NewPasswordForm
from tests.accounts import test_otp
from tests.accounts.test_otp import PASSWORD, PHONE, codes_sent, make_citizen
from tests.security.test_limits import LOGIN_PER_IP, LOGIN_PER_KEY

# Codes go out when the transaction commits, as in production: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

# The shared fixtures; pytest finds them as attributes of this module.
clock, fresh_cache = test_otp.clock, test_otp.fresh_cache

LOGIN = "/tai-khoan/dang-nhap/"
CONFIRM = "/tai-khoan/dang-nhap/xac-nhan/"
NEW_PASSWORD = "/tai-khoan/dat-mat-khau-moi/"
PERSONAL = "/ca-nhan/"
LOCK_MINUTES = settings.ACCOUNTS_LOGIN_LOCK_MINUTES  # the failed-login window, and the longest wait


def submit_password(client, username="7901234567", password=PASSWORD, REMOTE_ADDR=None, **extra):
    """The login form posted with `extra` fields, from REMOTE_ADDR when given (else the client's)."""
    request = {"REMOTE_ADDR": REMOTE_ADDR} if REMOTE_ADDR else {}
    return client.post(LOGIN, {"login": username, "password": password, **extra}, **request)


def log_in(client, sms_outbox, username="7901234567", password=PASSWORD):
    """A citizen's whole login on a new device: the password, then the code sent by SMS."""
    response = submit_password(client, username, password)
    assert response.status_code == 302 and response["Location"] == CONFIRM
    response = client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})
    assert response.status_code == 302, response.content.decode()
    return response


def is_logged_in(client) -> bool:
    return client.get(PERSONAL).status_code == 200


def test_citizen_logs_in_with_bhxh_code_password_and_the_sms_code(client, sms_outbox):
    make_citizen()
    response = submit_password(client)
    assert response["Location"] == CONFIRM
    assert not is_logged_in(client)  # the password alone is not enough on a new device
    page = client.get(CONFIRM).content.decode()
    assert "Đã gửi mã xác thực tới số điện thoại có đuôi 678." in page
    assert '<label for="id_code">Mã xác thực</label>' in page
    [sms] = sms_outbox()
    assert sms["to"] == PHONE and "mã xác thực đăng nhập" in sms["text"]

    response = client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[0]})
    assert response.status_code == 302 and response["Location"] == PERSONAL
    assert mfa_settings.TRUST_COOKIE_NAME in response.cookies
    assert response.cookies[mfa_settings.TRUST_COOKIE_NAME]["max-age"] == 90 * 24 * 3600
    assert response.cookies[mfa_settings.TRUST_COOKIE_NAME]["httponly"]
    assert is_logged_in(client)


def test_wrong_codes_are_counted_and_the_fifth_voids_the_code(client, sms_outbox, clock):
    make_citizen()
    submit_password(client)
    [code] = codes_sent(sms_outbox)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for left in (4, 3, 2, 1):
        page = client.post(CONFIRM, {"action": "verify", "code": wrong}).content.decode()
        assert f"Mã xác thực không đúng. Bạn còn {left} lần thử." in page
    page = client.post(CONFIRM, {"action": "verify", "code": wrong}).content.decode()
    assert "Mã xác thực đã bị hủy vì nhập sai 5 lần." in page
    page = client.post(CONFIRM, {"action": "verify", "code": code}).content.decode()
    assert "Mã xác thực đã bị hủy vì nhập sai 5 lần." in page
    assert not is_logged_in(client)

    clock.advance(61)
    client.post(CONFIRM, {"action": "resend"})
    client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})
    assert is_logged_in(client)


def test_resend_waits_sixty_seconds_and_the_code_expires_after_five_minutes(client, sms_outbox, clock):
    make_citizen()
    submit_password(client)
    clock.advance(30)
    page = client.post(CONFIRM, {"action": "resend"}, follow=True).content.decode()
    assert ("Mã xác thực vừa gửi tới số điện thoại có đuôi 678 vẫn dùng được: hãy nhập mã đó. Chưa nhận được thì "
            "sau 30 giây bạn có thể yêu cầu mã mới.") in page
    assert len(sms_outbox()) == 1
    clock.advance(270)  # 5 minutes after the code was sent: still valid…
    clock.advance(1)  # …and now not
    page = client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[0]}).content.decode()
    assert "Mã xác thực đã hết hạn" in page
    page = client.post(CONFIRM, {"action": "resend"}, follow=True).content.decode()
    assert "Đã gửi mã xác thực tới số điện thoại có đuôi 678." in page
    client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})
    assert is_logged_in(client)


def test_logging_in_again_before_the_code_arrives_keeps_the_code_already_sent(client, sms_outbox, clock):
    """A citizen who gives up waiting and logs in again within the minute, from a new browser, is told
    that the code sent a moment ago still works and when a new one may be asked, not as an error, and
    the code that then arrives still opens the door: the second login neither sends nor voids one."""
    make_citizen()
    submit_password(client)
    [code] = codes_sent(sms_outbox)
    clock.advance(20)
    again = Client()
    response = submit_password(again)
    assert response.status_code == 302 and response["Location"] == CONFIRM
    page = again.get(CONFIRM).content.decode()
    told = ("Mã xác thực vừa gửi tới số điện thoại có đuôi 678 vẫn dùng được: hãy nhập mã đó. Chưa nhận được thì "
            "sau 40 giây bạn có thể yêu cầu mã mới.")
    assert f'<li class="notice notice--info">{told}</li>' in page and "notice--error" not in page
    assert "Mã gồm 6 chữ số trong tin nhắn chúng tôi vừa gửi" in page  # by SMS to a citizen
    assert len(sms_outbox()) == 1
    response = again.post(CONFIRM, {"action": "verify", "code": code})
    assert response.status_code == 302 and response["Location"] == PERSONAL
    assert is_logged_in(again)


def test_logging_in_again_within_the_minute_after_wrong_tries_voided_the_code_is_not_told_it_works(
        client, sms_outbox, clock):
    """A code voided by its wrong tries no longer opens the door: a login again within the minute is
    told only when a new one may be asked, not that the code sent still works."""
    make_citizen()
    submit_password(client)
    [code] = codes_sent(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    for _try in range(otp.MAX_ATTEMPTS):
        client.post(CONFIRM, {"action": "verify", "code": wrong})
    clock.advance(20)
    again = Client()
    assert submit_password(again)["Location"] == CONFIRM
    page = again.get(CONFIRM).content.decode()
    assert "vẫn dùng được" not in page
    assert "Bạn có thể yêu cầu mã mới sau 40 giây." in page and len(sms_outbox()) == 1


def test_a_code_typed_after_the_login_step_expired_is_told_to_start_again(client, sms_outbox, clock):
    """allauth gives a login 15 minutes from the password to the last step; a citizen still at the
    code step then (waiting for a text, asking for new codes) is told why the login page is back."""
    make_citizen()
    submit_password(client)
    for _resend in range(account_settings.LOGIN_TIMEOUT // (5 * 60)):  # a new code every 5 minutes
        clock.advance(5 * 60)
        client.post(CONFIRM, {"action": "resend"}, follow=True)
    clock.advance(1)  # the code sent a second ago is valid; the login step is not
    response = client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]}, follow=True)
    assert response.redirect_chain == [(LOGIN, 302)]
    minutes = account_settings.LOGIN_TIMEOUT // 60
    expired = f"Lượt đăng nhập đã hết hạn vì quá {minutes} phút chưa hoàn tất bước xác nhận"
    assert expired in response.content.decode()
    assert not is_logged_in(client)
    assert "hết hạn" not in client.get(CONFIRM, follow=True).content.decode()  # told once
    assert submit_password(client)["Location"] == CONFIRM


def test_a_trusted_browser_logs_in_without_a_code_for_90_days(client, sms_outbox, clock):
    user = make_citizen()
    log_in(client, sms_outbox)
    client.post(reverse("account_logout"))
    clock.advance(89 * 24 * 3600)
    assert submit_password(client)["Location"] == PERSONAL
    assert len(codes_sent(sms_outbox)) == 1
    client.post(reverse("account_logout"))
    clock.advance(2 * 24 * 3600)
    assert submit_password(client)["Location"] == CONFIRM
    assert len(codes_sent(sms_outbox)) == 2

    client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})
    client.post(reverse("account_logout"))
    user.set_password("Mat-khau-moi-cua-Duc")  # the trust is bound to the password
    user.save()
    assert submit_password(client, password="Mat-khau-moi-cua-Duc")["Location"] == CONFIRM


def test_officer_without_phone_gets_the_code_by_email_and_without_contact_is_refused(client, mailoutbox):
    User = get_user_model()
    User.objects.create_user("canbo07901", password=PASSWORD, email="lan@bhxh.example", is_staff=True)
    assert submit_password(client, "canbo07901")["Location"] == CONFIRM
    page = client.get(CONFIRM).content.decode()  # the hint says where the code went
    assert "Mã gồm 6 chữ số trong email chúng tôi vừa gửi" in page and "trong tin nhắn chúng tôi" not in page
    [mail] = mailoutbox
    assert mail.to == ["lan@bhxh.example"] and mail.subject == "Mã xác thực đăng nhập Cổng dịch vụ BHXH số"
    code = mail.body[:6]
    client.post(CONFIRM, {"action": "verify", "code": code})
    assert is_logged_in(client)

    User.objects.create_user("quantri", password=PASSWORD, is_staff=True)  # no phone, no e-mail
    refused = Client()
    response = submit_password(refused, "quantri")
    assert response["Location"].startswith("/tai-khoan/dang-nhap/")
    assert not is_logged_in(refused)
    assert "chưa có số điện thoại hoặc email" in refused.get(response["Location"]).content.decode()


def test_temporary_password_must_be_replaced_before_anything_else(client, sms_outbox):
    user = make_citizen(must_change_password=True)
    log_in(client, sms_outbox)
    for path in (PERSONAL, "/", "/thong-bao/", "/tai-khoan/bao-mat/", "/tai-khoan/doi-mat-khau/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(NEW_PASSWORD), path
    response = client.get(f"{NEW_PASSWORD}?next=/thong-bao/")
    html = response.content.decode()
    assert response.status_code == 200 and "Bạn đang dùng mật khẩu tạm" in html
    assert "Không bắt buộc phải có chữ hoa, chữ số hay ký tự đặc biệt" in html

    weak = client.post(f"{NEW_PASSWORD}?next=/thong-bao/", {"password1": "1234567", "password2": "1234567"})
    html = weak.content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in html and "Mật khẩu này hoàn toàn là số." in html
    user.refresh_from_db()
    assert user.must_change_password

    same = client.post(f"{NEW_PASSWORD}?next=/thong-bao/", {"password1": PASSWORD, "password2": PASSWORD})
    assert "Mật khẩu mới phải khác mật khẩu đang dùng." in same.content.decode()
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(PASSWORD)

    new = "một câu dài dễ nhớ về con mèo"
    response = client.post(f"{NEW_PASSWORD}?next=/thong-bao/", {"password1": new, "password2": new})
    assert response.status_code == 302 and response["Location"] == "/thong-bao/"
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(new)
    assert is_logged_in(client)


def test_back_on_the_temporary_password_step_once_replaced_goes_on_saying_it_was_changed(client, sms_outbox):
    """Back on the "set a new password" step once the temporary password is replaced (or the form
    sent twice) leads on to the page it was to return to, saying the password was changed; not to
    the ordinary change form asking for the current password, as if it had to be changed again."""
    make_citizen(must_change_password=True)
    log_in(client, sms_outbox)
    new = "một câu dài dễ nhớ về con mèo"
    assert client.post(f"{NEW_PASSWORD}?next=/thong-bao/", {"password1": new, "password2": new})["Location"] == \
        "/thong-bao/"
    client.get("/thong-bao/")  # the message of the change itself, read
    for again in (client.get(f"{NEW_PASSWORD}?next=/thong-bao/", follow=True),
                  client.post(f"{NEW_PASSWORD}?next=/thong-bao/", {"password1": new, "password2": new}, follow=True)):
        assert again.redirect_chain == [("/thong-bao/", 302)]
        assert "Mật khẩu của bạn đã được thay đổi." in again.content.decode()


def test_logout_stays_open_to_a_user_with_a_temporary_password(client, sms_outbox):
    make_citizen(must_change_password=True)
    log_in(client, sms_outbox)
    assert client.get(reverse("account_logout")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get("/").status_code == 200
    assert not is_logged_in(client)


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("Ngan-7!", "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("7901234567", "Mật khẩu gần như chỉ gồm thông tin cá nhân của bạn"),
        ("x" * 129, "Mật khẩu quá dài: tối đa 128 ký tự."),
        ("khac-hoan-toan", "Hai lần nhập mật khẩu mới chưa giống nhau."),
    ],
)
def test_password_rules_speak_vietnamese(password, error):
    user = make_citizen()
    confirm = "khac-hoan-toan-2" if password == "khac-hoan-toan" else password
    form = NewPasswordForm({"password1": password, "password2": confirm}, user=user)
    assert not form.is_valid()
    assert error in str(form.errors)


@pytest.mark.parametrize("password", [
    "nguyenvanduc1988",  # the registry's name, without diacritics, and the birth year
    "Nguyễn Văn Đức 1988",
    "Đức.15031988",  # a name word and the birth date as ddmmyyyy
    "duc-15/03/1988",
    "ducnguyen150388",
    "079088012345",  # the ID number
    "0912345678 duc",  # the phone number as it is dialled
    "7901234567abc",  # the BHXH code and almost nothing else
])
def test_a_password_made_of_the_holders_own_data_is_refused(password):
    user = make_citizen()
    form = NewPasswordForm({"password1": password, "password2": password}, user=user)
    assert not form.is_valid()
    assert "Mật khẩu gần như chỉ gồm thông tin cá nhân của bạn" in str(form.errors)


def test_a_phrase_that_only_contains_the_holders_name_or_year_is_accepted():
    user = make_citizen()
    for password in ("Đức thích đi câu cá 1988", "vanilla sky mountain", "nguyenvanduc-songonghanoi"):
        assert NewPasswordForm({"password1": password, "password2": password}, user=user).is_valid(), password


def test_another_persons_data_is_not_held_against_the_holder():
    user = make_citizen()
    other = make_citizen(code="7907654321", phone="+84987654321")
    other.person.full_name, other.person.birth_date = "Trần Thị Mai", datetime.date(1990, 7, 2)
    other.person.save()
    assert NewPasswordForm({"password1": "nguyenvanduc1988", "password2": "nguyenvanduc1988"}, user=other).is_valid()
    assert not NewPasswordForm({"password1": "tranthimai020790", "password2": "tranthimai020790"}, user=other).is_valid()
    assert NewPasswordForm({"password1": "tranthimai020790", "password2": "tranthimai020790"}, user=user).is_valid()


def test_long_passphrases_are_accepted_without_composition_rules():
    user = make_citizen()
    for password in ("mèo con ngủ trưa dưới gốc đa", "a" * 40 + "b" * 24, "z" * 120 + "-Khác-1"):
        assert NewPasswordForm({"password1": password, "password2": password}, user=user).is_valid(), password


def test_failed_logins_are_limited_per_account_with_the_time_to_retry(client, clock):
    make_citizen()
    make_citizen(code="7907654321", phone="+84987654321")
    for attempt in range(LOGIN_PER_KEY):  # each from another address: the account is what is counted
        html = submit_password(client, password="sai-mat-khau", REMOTE_ADDR=f"10.0.0.{attempt + 10}").content.decode()
        assert "Mã số BHXH (tên đăng nhập) hoặc mật khẩu không đúng." in html
    html = submit_password(client, REMOTE_ADDR="10.0.0.9").content.decode()  # even the right password
    assert f"Hãy thử lại sau {LOCK_MINUTES} phút" in html and 'class="error-summary"' in html
    assert submit_password(client, username="7907654321", REMOTE_ADDR="10.0.0.10")["Location"] == CONFIRM
    clock.advance(LOCK_MINUTES * 60 + 1)
    assert submit_password(Client(), REMOTE_ADDR="10.0.0.9")["Location"] == CONFIRM


def test_a_locked_login_says_the_minutes_left_not_the_whole_window(client, clock):
    """The lock lifts when the oldest failure still counted leaves the window: a citizen whose first
    wrong password was two thirds of the window ago (10 of 15 minutes) waits only the rest of it
    (5 minutes), and is told that."""
    make_citizen()
    elapsed = LOCK_MINUTES * 2 // 3
    submit_password(client, password="sai-mat-khau")
    clock.advance(elapsed * 60)
    for _attempt in range(LOGIN_PER_KEY - 1):
        submit_password(client, password="sai-mat-khau")
    html = submit_password(client).content.decode()
    assert f"Hãy thử lại sau {LOCK_MINUTES - elapsed} phút" in html and f"{LOCK_MINUTES} phút" not in html
    clock.advance((LOCK_MINUTES - elapsed) * 60 + 1)
    assert submit_password(client)["Location"] == CONFIRM


def test_logging_in_again_deletes_the_mark_of_the_session_that_ended(client, sms_outbox):
    """A logout marks the browser as one whose session ended (SESSION_ENDED_COOKIE, until it closes); the
    next login deletes the mark on its answer, so that the browser, weeks later, is not read as one whose
    session ended before that login."""
    make_citizen()
    log_in(client, sms_outbox)
    assert client.post(reverse("account_logout")).cookies["session_ended"].value == "1"
    response = submit_password(client)  # a trusted browser: the password alone logs in
    assert response.status_code == 302 and response["Location"] == PERSONAL
    mark = response.cookies["session_ended"]
    assert mark.value == "" and mark["max-age"] == 0
    assert not client.cookies["session_ended"].value and is_logged_in(client)
    assert "session_ended" not in client.get(PERSONAL).cookies  # deleted once, not on every page


REAUTHENTICATE = "/tai-khoan/nhap-lai-mat-khau/"
LOCKED = "quá nhiều lần"


def test_wrong_reauthentications_lock_that_account_alone_and_a_reset_lifts_the_lock(client, clock, rf):
    """allauth's re-authentication passes the account's e-mail besides its username: two accounts sharing
    an address (a family's) keep their own failed-login locks, and the account's lock is the login form's,
    which a reset lifts."""
    from allauth.account.adapter import get_adapter

    holder = make_citizen(email="nha@example.vn")
    relative = make_citizen(code="7907654321", phone="+84987654321", email="nha@example.vn")
    client.force_login(holder)
    for attempt in range(LOGIN_PER_KEY):
        response = client.post(REAUTHENTICATE, {"password": "sai-mat-khau"}, REMOTE_ADDR=f"10.0.3.{attempt}")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    assert LOCKED in client.post(REAUTHENTICATE, {"password": PASSWORD}, REMOTE_ADDR="10.0.3.99").content.decode()
    other = Client(REMOTE_ADDR="10.0.4.1")
    other.force_login(relative)
    assert other.post(REAUTHENTICATE, {"password": PASSWORD}).status_code == 302  # the relative is not locked
    assert LOCKED in submit_password(Client(), REMOTE_ADDR="10.0.4.2").content.decode()  # one lock per account
    assert submit_password(Client(), username="7907654321", REMOTE_ADDR="10.0.4.3")["Location"] == CONFIRM
    reset = rf.post("/", REMOTE_ADDR="10.0.4.4")
    get_adapter(reset).clear_failed_logins(reset, holder)  # as the end of a reset does (user_password_reset)
    assert submit_password(Client(), REMOTE_ADDR="10.0.4.5")["Location"] == CONFIRM


@pytest.mark.parametrize("written", ["7901 234 567", "７９０１２３４５６７", " ７９０１ ２３４ ５６７ ", "\ufeff7901234567\u200b"])
def test_the_bhxh_code_may_be_typed_with_spaces_or_fullwidth_digits(client, written):
    make_citizen()
    assert submit_password(client, username=written)["Location"] == CONFIRM


def test_failed_logins_count_the_code_however_it_is_written(client, clock):
    make_citizen()
    writings = itertools.cycle(["7901234567", "7901 234 567", "７９０１２３４５６７", "\ufeff7901234567", "７９０1234567"])
    for attempt, written in enumerate(itertools.islice(writings, LOGIN_PER_KEY)):
        html = submit_password(client, username=written, password="sai-mat-khau",
                               REMOTE_ADDR=f"10.0.1.{attempt}").content.decode()
        assert "Mã số BHXH (tên đăng nhập) hoặc mật khẩu không đúng." in html
    html = submit_password(client, username="7901 234567", REMOTE_ADDR="10.0.1.250").content.decode()
    assert f"Hãy thử lại sau {LOCK_MINUTES} phút" in html


def minutes_left(seconds_since_the_first_failure: int) -> int:
    """The whole minutes a lock has still to run, as the refusal rounds them (up)."""
    return math.ceil((LOCK_MINUTES * 60 - seconds_since_the_first_failure) / 60)


def test_failed_logins_are_limited_per_ip_across_accounts(client, clock):
    make_citizen()
    for attempt in range(LOGIN_PER_IP):
        submit_password(client, username=f"7900000{attempt:03d}", password="sai-mat-khau")
        clock.advance(3)  # under allauth's 30 login requests a minute per IP
    html = submit_password(client).content.decode()
    # the first of the failures was 3 s × LOGIN_PER_IP ago (90 s of 15 minutes: 14 minutes left)
    assert f"Hãy thử lại sau {minutes_left(LOGIN_PER_IP * 3)} phút" in html
    clock.advance(LOCK_MINUTES * 60)
    assert submit_password(client)["Location"] == CONFIRM


def test_the_networks_lock_holds_that_network_only(client, clock):
    make_citizen()
    for attempt in range(LOGIN_PER_IP):
        submit_password(client, username=f"7900000{attempt:03d}", password="sai-mat-khau", REMOTE_ADDR="10.0.3.1")
        clock.advance(3)
    assert "từ mạng bạn đang dùng" in submit_password(client, REMOTE_ADDR="10.0.3.1").content.decode()
    assert submit_password(client, REMOTE_ADDR="10.0.4.1")["Location"] == CONFIRM


def test_a_login_refused_for_the_network_does_not_blame_the_account(client, clock):
    """Failures on other accounts from the same address (a shared or carrier network) lock the
    address, not this account: the citizen is not told they typed a wrong password, nor sent to
    "Quên mật khẩu?", which lifts an account's lock and not the address's."""
    make_citizen()
    for attempt in range(LOGIN_PER_IP):
        submit_password(client, username=f"7900000{attempt:03d}", password="sai-mat-khau")
        clock.advance(3)
    html = submit_password(client).content.decode()
    assert "từ mạng bạn đang dùng" in html and f"Hãy thử lại sau {minutes_left(LOGIN_PER_IP * 3)} phút" in html
    assert "Bạn đã nhập sai mật khẩu" not in html and "Quên mật khẩu?” để" not in html


def test_a_login_refused_for_both_the_account_and_the_network_says_the_network_and_its_wait(client, clock):
    """With both locks full the network's is named, with its own wait: the account's lock lifts
    sooner (or with "Quên mật khẩu?" at once), but the next login would still be refused for the
    network, as allauth checks the address's limit first."""
    make_citizen()
    for attempt in range(5):  # the account's failures, from other addresses
        client.post(LOGIN, {"login": "7901234567", "password": "sai-mat-khau"}, REMOTE_ADDR=f"10.0.0.{attempt}")
    clock.advance(10 * 60)
    for attempt in range(30):  # then the network's, on other accounts
        submit_password(client, username=f"79000000{attempt:02d}", password="sai-mat-khau")
        clock.advance(3)
    html = submit_password(client).content.decode()
    assert "từ mạng bạn đang dùng" in html and "Hãy thử lại sau 14 phút" in html
    assert "Bạn đã nhập sai mật khẩu" not in html and "Quên mật khẩu?” để" not in html


def test_a_login_refused_for_the_network_gives_the_wait_of_the_lock_that_lifts_last(client, clock):
    """The network's lock is named, but the wait is the longer one: when the account's lock lifts
    after the network's, the next login would be refused again for the account."""
    make_citizen()
    for attempt in range(LOGIN_PER_IP):  # the network's failures, on other accounts
        submit_password(client, username=f"79000000{attempt:02d}", password="sai-mat-khau")
    clock.advance((LOCK_MINUTES - 1) * 60)
    for attempt in range(LOGIN_PER_KEY):  # then the account's, from other addresses
        submit_password(client, password="sai-mat-khau", REMOTE_ADDR=f"10.0.6.{attempt}")
    html = submit_password(client).content.decode()
    assert "từ mạng bạn đang dùng" in html and f"Hãy thử lại sau {LOCK_MINUTES} phút" in html


def test_an_authenticator_app_replaces_the_sms_code(client, sms_outbox):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(make_citizen(), generate_totp_secret())
    assert submit_password(client)["Location"] == reverse("mfa_authenticate")
    assert sms_outbox() == []


def test_an_authenticator_code_typed_after_the_login_step_expired_is_told_to_start_again(client, clock):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value

    secret = generate_totp_secret()
    TOTP.activate(make_citizen(), secret)
    submit_password(client)
    clock.advance(account_settings.LOGIN_TIMEOUT + 1)
    code = f"{hotp_value(secret, int(clock.now) // 30):06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": code}, follow=True)
    assert response.redirect_chain == [(LOGIN, 302)]
    minutes = account_settings.LOGIN_TIMEOUT // 60
    expired = f"Lượt đăng nhập đã hết hạn vì quá {minutes} phút chưa hoàn tất bước xác nhận"
    assert expired in response.content.decode()
    assert not is_logged_in(client)


def wrong_app_code(secret, now) -> str:
    from allauth.mfa.totp.internal.auth import hotp_value

    return f"{(hotp_value(secret, int(now) // 30) + 1) % 10**6:06d}"


def test_too_many_wrong_app_codes_at_login_says_it_is_the_code_and_the_minutes_left(client, clock):
    """The app's codes count on the login limit per account: a refusal names the code, not the
    password (and no "Quên mật khẩu?", which would not lift it), with the minutes until the oldest
    failure leaves the window."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value

    secret = generate_totp_secret()
    TOTP.activate(make_citizen(), secret)
    submit_password(client)
    elapsed = LOCK_MINUTES * 2 // 3
    client.post(reverse("mfa_authenticate"), {"code": wrong_app_code(secret, clock.now)})
    clock.advance(elapsed * 60)
    for _attempt in range(LOGIN_PER_KEY - 1):
        client.post(reverse("mfa_authenticate"), {"code": wrong_app_code(secret, clock.now)})
    html = client.post(reverse("mfa_authenticate"), {"code": f"{hotp_value(secret, int(clock.now) // 30):06d}"}
                       ).content.decode()
    assert "Bạn đã nhập sai mã xác thực quá nhiều lần" in html
    assert f"Hãy thử lại sau {LOCK_MINUTES - elapsed} phút" in html
    assert "mật khẩu" not in html.split('class="error-summary"')[1].split("</div>")[0]
    assert not is_logged_in(client)


def test_too_many_wrong_app_codes_when_reauthenticating_says_it_is_the_code(client, clock):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    user = make_citizen()
    TOTP.activate(user, secret)
    client.force_login(user)
    for _attempt in range(LOGIN_PER_KEY):
        client.post(reverse("mfa_reauthenticate"), {"code": wrong_app_code(secret, clock.now)})
    html = client.post(reverse("mfa_reauthenticate"), {"code": wrong_app_code(secret, clock.now)}).content.decode()
    assert "Bạn đã nhập sai mã xác thực quá nhiều lần" in html and f"Hãy thử lại sau {LOCK_MINUTES} phút" in html
    assert "Bạn đã nhập sai mật khẩu" not in html


def test_a_refused_login_says_so_in_the_page_title(client):
    make_citizen()
    html = client.post(LOGIN, {"login": "7901234567", "password": "sai-mat-khau"}).content.decode()
    assert "<title>Lỗi: Đăng nhập" in html
    assert "<title>Đăng nhập" in client.get(LOGIN).content.decode()


def test_empty_account_forms_name_what_is_missing(client):
    generic = "Trường này là bắt buộc."
    html = client.post(LOGIN, {"login": "", "password": ""}).content.decode()
    assert "Nhập mã số BHXH hoặc tên đăng nhập." in html and "Nhập mật khẩu." in html and generic not in html
    html = client.post("/tai-khoan/quen-mat-khau/", {"bhxh_code": ""}).content.decode()
    assert "Nhập mã số BHXH." in html and generic not in html
    html = client.post("/dang-ky/", {"id_type": ""}).content.decode()
    assert "Chọn loại giấy tờ tùy thân." in html and generic not in html
    client.force_login(make_citizen())
    html = client.post("/tai-khoan/doi-mat-khau/", {"oldpassword": "", "password1": "", "password2": ""}).content.decode()
    assert all(m in html for m in ("Nhập mật khẩu hiện tại.", "Nhập mật khẩu mới.", "Nhập lại mật khẩu mới."))
    assert generic not in html
    from accounts import otp
    from accounts.forms_auth import CodeForm
    form = CodeForm({"code": " "}, purpose=otp.Purpose.PASSWORD_CHANGE, subject="1")
    assert form.errors["code"] == ["Nhập mã xác thực gồm 6 chữ số, ví dụ 123456."]


def clinic_staff_user():
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import CLINIC_STAFF, sync_groups
    from lookup.models import MedicalFacility, Province

    # The clinic of the reference data, or made for a test run outside a transaction, which finds it emptied.
    province, _ = Province.objects.get_or_create(
        code="79", defaults={"name": "Thành phố Hồ Chí Minh", "division_type": "thành phố trung ương"})
    facility, _ = MedicalFacility.objects.get_or_create(
        code="79001", defaults={"name": "Bệnh viện Chợ Rẫy", "province": province})
    user = get_user_model().objects.create_user("nhanvienkcb", password=PASSWORD, email="ha@kcb.example",
                                                facility=facility, is_staff=True)
    user.groups.add(sync_groups(Group, Permission)[CLINIC_STAFF])
    return user


def log_in_by_email(client, mailoutbox, username, **extra):
    assert submit_password(client, username, **extra)["Location"] == CONFIRM
    return client.post(CONFIRM, {"action": "verify", "code": mailoutbox[-1].body[:6]})


@pytest.mark.parametrize(("next_url", "lands_on"), [
    ("", "/quan-tri/"),
    ("/quan-tri/accounts/registration/", "/quan-tri/accounts/registration/"),  # a safe next is kept
    ("https://evil.example/", "/quan-tri/"),
])
def test_an_officer_lands_in_the_admin(client, mailoutbox, next_url, lands_on):
    get_user_model().objects.create_user("canbo07901", password=PASSWORD, email="lan@bhxh.example", is_staff=True)
    response = log_in_by_email(client, mailoutbox, "canbo07901", **({"next": next_url} if next_url else {}))
    assert response.status_code == 302 and response["Location"] == lands_on


def test_clinic_staff_land_on_the_card_check_page(client, mailoutbox):
    clinic_staff_user()
    response = log_in_by_email(client, mailoutbox, "nhanvienkcb")
    assert response.status_code == 302 and response["Location"] == "/xac-thuc/the-bhyt/"


def test_the_personal_page_of_a_staff_account_links_to_where_it_works(client):
    client.force_login(get_user_model().objects.create_user("canbo07901", password=PASSWORD, is_staff=True))
    html = client.get(PERSONAL).content.decode()
    assert "Tài khoản này không gắn với người tham gia BHXH nào." in html
    assert '<a href="/quan-tri/">Đến trang quản trị</a>' in html
    client.force_login(clinic_staff_user())
    assert '<a href="/xac-thuc/the-bhyt/">Đến trang xác thực thẻ BHYT</a>' in client.get(PERSONAL).content.decode()
    client.force_login(get_user_model().objects.create_user("khac", password=PASSWORD))  # neither: no link
    html = client.get(PERSONAL).content.decode()
    assert "Đến trang quản trị" not in html and "Đến trang xác thực" not in html


def csrf_token_in(html: str) -> str:
    """The token of the login form (the page's other forms have theirs)."""
    form = html.split(f'action="{LOGIN}"', 1)[1]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


@pytest.mark.parametrize("typed", ["7901234567", "7901 234 567"])
def test_a_login_form_sent_after_it_expired_comes_back_with_the_bhxh_code_typed(sms_outbox, typed):
    """The form's token no longer matches the browser's (logged in or out in another tab, a page left
    open): nobody is logged in, and the login page says so in Vietnamese with the BHXH code typed
    kept, never the password; its fresh form logs in."""
    make_citizen()
    client = Client(enforce_csrf_checks=True)
    stale = csrf_token_in(client.get(LOGIN).content.decode())
    client.cookies["csrftoken"] = "x" * 32  # the browser's token changed since the page was rendered
    response = client.post(LOGIN, {"csrfmiddlewaretoken": stale, "login": typed, "password": PASSWORD,
                                   "next": "/the-bhyt/"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Trang đăng nhập đã mở quá lâu" in html
    assert 'name="login" value="7901234567"' in html
    assert 'name="next" value="/the-bhyt/"' in html  # where the login was to lead, still
    assert PASSWORD not in html and not is_logged_in(client)
    again = client.post(LOGIN, {"csrfmiddlewaretoken": csrf_token_in(html), "login": "7901234567",
                                "password": PASSWORD})
    assert again.status_code == 302 and again["Location"] == CONFIRM


@pytest.mark.parametrize("typed", ["canbo07901", '"><script>alert(1)</script>', ""])
def test_an_expired_login_form_keeps_nothing_but_a_bhxh_code(typed):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "x" * 32
    response = client.post(LOGIN, {"csrfmiddlewaretoken": "y" * 32, "login": typed, "password": PASSWORD})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Trang đăng nhập đã mở quá lâu" in html
    assert 'name="login" value=' not in html and "<script>alert" not in html and PASSWORD not in html


def test_another_expired_form_still_gets_the_page_that_says_so(client):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "x" * 32
    response = client.post(reverse("notifications:mark_all_read"), {"csrfmiddlewaretoken": "y" * 32})
    assert response.status_code == 403 and "Phiên làm việc đã hết hạn" in response.content.decode()


def test_a_login_form_sent_after_logging_in_in_another_tab_leads_on_as_logged_in():
    """Logged in meanwhile in another tab, which changed the browser's token: the old tab's login
    form leads where a logged-in visit of the login page does, not to an empty page (a 403 that
    carried the redirect), nor to a message saying the login failed."""
    citizen = make_citizen()
    client = Client(enforce_csrf_checks=True)
    stale = csrf_token_in(client.get(LOGIN).content.decode())
    client.force_login(citizen)  # the other tab
    client.cookies["csrftoken"] = "x" * 32
    response = client.post(LOGIN, {"csrfmiddlewaretoken": stale, "login": citizen.username, "password": PASSWORD},
                           follow=True)
    assert response.status_code == 200 and response.redirect_chain, response.status_code
    assert "Trang đăng nhập đã mở quá lâu" not in response.content.decode()
    assert "Trang đăng nhập đã mở quá lâu" not in client.get("/ca-nhan/").content.decode()  # nor on the next page
