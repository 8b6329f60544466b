"""The account holder is told of what happens to the account: a password changed or reset, and a
login that trusts a new browser, each by SMS, in-portal notice and (where the account has one)
e-mail, with the time and the hotline to call; nothing for a login on a browser already trusted."""

import datetime
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services.security import SecurityEvent, security_notify
from notifications.models import Message
from tests.accounts import test_otp
from tests.accounts.helpers import reset_request
from tests.accounts.test_login import PERSONAL, log_in, submit_password
from tests.accounts.test_otp import PASSWORD, PHONE, codes_sent, make_citizen
from tests.accounts.test_sessions import CHANGE, CHANGE_CONFIRM, RESET, RESET_CODE, RESET_NEW
from tests.benefits.helpers import admin_form

pytestmark = pytest.mark.django_db(transaction=True)

# The shared fixtures; pytest finds them as attributes of this module.
clock, fresh_cache = test_otp.clock, test_otp.fresh_cache

HOTLINE = "1900 9068"


def notices(user, template) -> dict[str, Message]:
    return {message.channel: message for message in Message.objects.filter(user=user, template=template)}


def told_at(text: str) -> datetime.datetime:
    """The time a notice names, "lúc hh:mm ngày dd/mm/yyyy" in the portal's time zone."""
    [stamp] = re.findall(r"lúc (\d{2}:\d{2} ngày \d{2}/\d{2}/\d{4})", text)
    return timezone.make_aware(datetime.datetime.strptime(stamp, "%H:%M ngày %d/%m/%Y"))


def assert_told_now(text: str) -> None:
    assert abs(told_at(text) - timezone.now()) < datetime.timedelta(minutes=2)
    assert HOTLINE in text


def security_sms(sms_outbox) -> list[str]:
    return [message["text"] for message in sms_outbox() if message["to"] == PHONE and message["text"].startswith("BHXH:")]


def assert_told_by_sms_and_inbox(user, sms_outbox, template: str, words: str) -> None:
    """The holder told once by SMS, saying `words`, and once in the inbox, both with the time and the hotline."""
    sent = notices(user, template)
    assert set(sent) == {Message.Channel.SMS, Message.Channel.INBOX}
    [sms] = security_sms(sms_outbox)
    assert words in sms
    assert_told_now(sms)
    assert_told_now(sent[Message.Channel.INBOX].body)


def test_a_password_change_is_told_by_sms_notice_and_email(client, sms_outbox, mailoutbox):
    user = make_citizen(email="duc@example.vn")
    log_in(client, sms_outbox)
    new = "Mat-khau-moi-rat-dai-2026"
    client.post(CHANGE, {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert not notices(user, "security_password_changed")  # not before the code confirms it
    client.post(CHANGE_CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})

    sent = notices(user, "security_password_changed")
    assert set(sent) == {Message.Channel.SMS, Message.Channel.INBOX, Message.Channel.EMAIL}
    [sms] = [text for text in security_sms(sms_outbox) if "Mật khẩu" in text]
    assert "Mật khẩu tài khoản Cổng BHXH số của bạn đã được đổi lúc" in sms
    assert_told_now(sms)
    inbox = sent[Message.Channel.INBOX]
    assert inbox.subject == "Mật khẩu tài khoản Cổng dịch vụ BHXH số đã được thay đổi"
    assert inbox.link == reverse("accounts_auth:security")
    assert_told_now(inbox.body)
    [mail] = [mail for mail in mailoutbox if mail.subject == inbox.subject]
    assert mail.to == ["duc@example.vn"]
    assert_told_now(mail.body)
    assert "Mật khẩu tài khoản Cổng dịch vụ BHXH số đã được thay đổi" in client.get("/thong-bao/").content.decode()


def test_the_forced_password_change_is_told_without_email_when_the_account_has_none(client, sms_outbox, mailoutbox):
    user = make_citizen(must_change_password=True)
    log_in(client, sms_outbox)
    new = "một câu dài dễ nhớ về con mèo"
    client.post("/tai-khoan/dat-mat-khau-moi/", {"password1": new, "password2": new})
    assert set(notices(user, "security_password_changed")) == {Message.Channel.SMS, Message.Channel.INBOX}
    assert mailoutbox == []


def test_a_password_reset_is_told(sms_outbox):
    user = make_citizen()
    owner = Client()
    owner.post(RESET, reset_request(user.username))
    owner.post(RESET_CODE, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})
    assert not notices(user, "security_password_reset")
    new = "Mat-khau-sau-khi-quen-2026"
    owner.post(RESET_NEW, {"password1": new, "password2": new})

    assert set(notices(user, "security_password_reset")) == {Message.Channel.SMS, Message.Channel.INBOX}
    [sms] = security_sms(sms_outbox)
    assert "đã được đặt lại qua chức năng Quên mật khẩu lúc" in sms
    assert_told_now(sms)


def test_a_login_that_trusts_a_new_browser_is_told_and_one_on_a_trusted_browser_is_not(client, sms_outbox):
    user = make_citizen()
    submit_password(client)
    assert not notices(user, "security_new_browser")  # not for a password alone
    log_in(Client(), sms_outbox)
    sent = notices(user, "security_new_browser")
    assert set(sent) == {Message.Channel.SMS, Message.Channel.INBOX}
    [sms] = security_sms(sms_outbox)
    assert "vừa đăng nhập trên một trình duyệt mới lúc" in sms
    assert_told_now(sms)

    trusted = Client()
    log_in(trusted, sms_outbox)
    assert Message.objects.filter(user=user, template="security_new_browser").count() == 4
    trusted.post(reverse("account_logout"))
    assert submit_password(trusted)["Location"] == PERSONAL  # no code asked, none sent
    assert Message.objects.filter(user=user, template="security_new_browser").count() == 4


@pytest.mark.parametrize("event", list(SecurityEvent))
def test_each_notice_says_the_time_then_the_date(event, mailoutbox):
    user = make_citizen(email="duc@example.vn")
    moment = datetime.datetime(2026, 11, 21, 18, 30, tzinfo=datetime.UTC)  # 01:30 on the 22nd in Hồ Chí Minh City
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        with transaction.atomic():
            security_notify(user=user, event=event)
    sent = notices(user, f"security_{event}")
    assert set(sent) == {Message.Channel.SMS, Message.Channel.INBOX, Message.Channel.EMAIL}
    for message in sent.values():
        assert re.search(r" lúc 01:30 ngày 22/11/2026[.;] ", message.body), message.body


def test_nothing_is_told_of_what_was_rolled_back():
    user = make_citizen()
    with pytest.raises(RuntimeError), transaction.atomic():
        security_notify(user=user, event=SecurityEvent.PASSWORD_CHANGED)
        raise RuntimeError
    assert not Message.objects.filter(user=user).exists()


def test_a_password_set_in_the_admin_is_told_to_the_holder_once(client, sms_outbox):
    """A password the agency sets in the admin is a password change the holder did not make: told
    as one made on the security page is, saying the BHXH agency set it."""
    user = make_citizen()
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:auth_user_password_change", args=[user.pk])

    refused = client.post(url, {"password1": "Moi-Mat-Khau-2026", "password2": "khac-han", "usable_password": "true"})
    assert refused.status_code == 200 and not Message.objects.filter(user=user).exists()

    new = {"password1": "Moi-Mat-Khau-2026", "password2": "Moi-Mat-Khau-2026", "usable_password": "true"}
    assert client.post(url, new).status_code == 302
    user.refresh_from_db()
    assert user.check_password("Moi-Mat-Khau-2026")
    assert_told_by_sms_and_inbox(user, sms_outbox, "security_password_set_by_agency",
                                 "vừa được cơ quan BHXH đặt mật khẩu mới")
    assert Message.objects.filter(user=user).count() == 2  # not also as a change the holder made


def test_a_password_set_in_the_admin_is_temporary_and_ends_the_holders_sessions_saying_why(sms_outbox):
    """The officer who set it knows the password: as the portal's other temporary passwords, the holder
    must change it at the next login, and is told so; the browsers logged in with the password of before
    are told on their next request that the agency ended their session."""
    user = make_citizen()
    citizen = Client()
    log_in(citizen, sms_outbox)
    officer = Client()
    officer.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    new = {"password1": "Moi-Mat-Khau-2026", "password2": "Moi-Mat-Khau-2026", "usable_password": "true"}
    assert officer.post(reverse("admin:auth_user_password_change", args=[user.pk]), new).status_code == 302

    user.refresh_from_db()
    assert user.must_change_password and user.check_password("Moi-Mat-Khau-2026")
    html = citizen.get(PERSONAL, follow=True).content.decode()
    assert "Cơ quan BHXH đã kết thúc phiên làm việc của tài khoản này" in html
    [sms] = [text for text in security_sms(sms_outbox) if "đặt mật khẩu mới" in text]
    assert "đổi mật khẩu khi đăng nhập" in sms

    log_in(citizen, sms_outbox, password="Moi-Mat-Khau-2026")
    assert citizen.get(PERSONAL)["Location"].startswith(reverse("accounts_auth:password_change_required"))


def test_an_officers_own_password_set_in_the_admin_is_not_temporary(client):
    """Nobody else knows it: the officer's own session goes on and nothing asks to change it again."""
    officer = User.objects.create_superuser("quantri", password="x-Pass-2026!")
    client.force_login(officer)
    new = {"password1": "Moi-Mat-Khau-2026", "password2": "Moi-Mat-Khau-2026", "usable_password": "true"}
    assert client.post(reverse("admin:auth_user_password_change", args=[officer.pk]), new).status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Moi-Mat-Khau-2026") and not officer.must_change_password
    assert client.get(reverse("admin:index")).status_code == 200


def test_logging_in_with_a_password_turned_off_in_the_admin_is_told_to_the_holder_once(client, sms_outbox):
    """The admin's password page can disable password-based authentication (set_unusable_password):
    the holder is told, once, that the BHXH agency turned off logging in with a password."""
    user = make_citizen()
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:auth_user_password_change", args=[user.pk])

    assert client.post(url, {"usable_password": "false", "unset-password": "1"}).status_code == 302
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert_told_by_sms_and_inbox(user, sms_outbox, "security_password_disabled_by_agency",
                                 "cơ quan BHXH tắt đăng nhập bằng mật khẩu")
    assert Message.objects.filter(user=user).count() == 2  # not also as a password set

    client.post(url, {"usable_password": "false", "unset-password": "1"})  # already off: nothing more to tell
    assert Message.objects.filter(user=user).count() == 2


def test_an_email_changed_in_the_admin_is_told_once_to_the_address_until_then_and_the_inbox(client, mailoutbox):
    """An officer's login codes go to the account's e-mail: the agency changing it in the admin is
    told, once, to the address registered until then and in the inbox, with the time and the hotline;
    saving the account with the same address (whatever its case) tells nothing."""
    officer = User.objects.create_user("canbo.hcm", password=PASSWORD, email="canbo@bhxh.vn", is_staff=True)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    form = {name: value for name, value in admin_form(client, url, "user_form").items()
            if name not in {"groups", "user_permissions"}}  # none chosen: a browser posts nothing

    assert client.post(url, {**form, "email": "CanBo@BHXH.vn"}).status_code == 302
    assert client.post(url, {**form, "first_name": "Lan"}).status_code == 302
    assert not Message.objects.filter(user=officer).exists()

    assert client.post(url, {**form, "email": "moi@bhxh.vn"}).status_code == 302
    officer.refresh_from_db()
    assert officer.email == "moi@bhxh.vn"
    sent = notices(officer, "security_email_changed_by_agency")
    assert set(sent) == {Message.Channel.EMAIL, Message.Channel.INBOX}
    assert sent[Message.Channel.EMAIL].recipient == "canbo@bhxh.vn"
    [mail] = [mail for mail in mailoutbox if mail.to == ["canbo@bhxh.vn"]]
    assert "vừa được cơ quan BHXH đổi" in mail.body
    assert_told_now(mail.body)
    assert_told_now(sent[Message.Channel.INBOX].body)
    assert not [mail for mail in mailoutbox if "moi@bhxh.vn" in mail.to]

    client.post(url, {**form, "email": "moi@bhxh.vn"})  # the same address again
    assert Message.objects.filter(user=officer).count() == 2


def test_a_citizens_email_changed_in_the_admin_is_told_by_sms_to_the_phone_on_file_too(client, sms_outbox, mailoutbox):
    """Whoever took over the e-mail (the old address included) does not hold the phone in the registry:
    the holder is told there too, once, with the time and the hotline; the new address is told nothing."""
    citizen = make_citizen(email="duc@example.vn")
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    form = {name: value for name, value in admin_form(client, url, "user_form").items()
            if name not in {"groups", "user_permissions"}}

    assert client.post(url, {**form, "email": "ke.gian@example.vn"}).status_code == 302
    sent = notices(citizen, "security_email_changed_by_agency")
    assert set(sent) == {Message.Channel.SMS, Message.Channel.EMAIL, Message.Channel.INBOX}
    assert sent[Message.Channel.EMAIL].recipient == "duc@example.vn"
    [sms] = security_sms(sms_outbox)
    assert "vừa được cơ quan BHXH đổi" in sms
    assert_told_now(sms)
    assert not [mail for mail in mailoutbox if "ke.gian@example.vn" in mail.to]

    client.post(url, {**form, "email": "ke.gian@example.vn"})  # the same address again
    assert Message.objects.filter(user=citizen).count() == 3
