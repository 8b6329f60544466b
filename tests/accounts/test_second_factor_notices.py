"""The account holder is told at once when the authenticator app (allauth.mfa) is switched on or
off and when new recovery codes are made: by SMS to the registered phone (by e-mail for an account
whose codes go there) and in the portal's inbox, with the time and the hotline, once per change."""

import datetime
import re
import time
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from notifications.models import Message
from tests.accounts import test_otp
from tests.accounts.helpers import officer
from tests.accounts.test_mfa_pages import current_code, with_authenticator_app
from tests.accounts.test_otp import PASSWORD, PHONE, make_citizen

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

# The shared fixtures; pytest finds them as attributes of this module.
fresh_cache = test_otp.fresh_cache

HOTLINE = "1900 9068"
REAUTHENTICATE = "/tai-khoan/nhap-lai-mat-khau/"
EVENTS = ("security_totp_activated", "security_totp_deactivated", "security_recovery_codes_generated")


def notices(user, template) -> dict[str, Message]:
    sent = list(Message.objects.filter(user=user, template=template))
    assert len(sent) == len({message.channel for message in sent}), "one message of each kind"
    return {message.channel: message for message in sent}


def assert_told_now(text: str) -> None:
    """The notice says when, "lúc HH:MM ngày dd/mm/yyyy" in the portal's time zone, and whom to call."""
    [(hour, day)] = re.findall(r"lúc (\d{2}:\d{2}) ngày (\d{2}/\d{2}/\d{4})", text)
    at = timezone.make_aware(datetime.datetime.strptime(f"{day} {hour}", "%d/%m/%Y %H:%M"))
    assert abs(at - timezone.now()) < datetime.timedelta(minutes=2)
    assert HOTLINE in text


def reauthenticate(client, password=PASSWORD):
    response = client.post(REAUTHENTICATE, {"password": password})
    assert response.status_code == 302, response.content.decode()[:3000]


def test_the_authenticator_app_on_new_recovery_codes_and_the_app_off_are_each_told_once(client, sms_outbox,
                                                                                        monkeypatch):
    held = time.time()  # allauth's TOTP clock stands still, so the code worked out is the one it checks
    monkeypatch.setattr("allauth.mfa.totp.internal.auth.time", SimpleNamespace(time=lambda: held))
    user = make_citizen()
    client.force_login(user)
    reauthenticate(client)

    activate = reverse("mfa_activate_totp")
    secret = client.get(activate).context["form"].secret
    assert client.post(activate, {"code": current_code(secret)}).status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    sent = notices(user, "security_totp_activated")
    assert set(sent) == {Message.Channel.SMS, Message.Channel.INBOX}
    assert sent[Message.Channel.SMS].recipient == PHONE
    [sms] = [m["text"] for m in sms_outbox() if m["to"] == PHONE and "ứng dụng xác thực" in m["text"]]
    assert sms.startswith("BHXH: Tài khoản Cổng BHXH số của bạn vừa được kích hoạt xác thực hai bước")
    assert_told_now(sms)
    inbox = sent[Message.Channel.INBOX]
    assert inbox.subject == "Đã kích hoạt ứng dụng xác thực cho tài khoản Cổng dịch vụ BHXH số"
    assert inbox.link == reverse("mfa_index")
    assert_told_now(inbox.body)
    assert not notices(user, "security_recovery_codes_generated")  # made with the app: one change, told once
    client.post(activate, {"code": current_code(secret)})  # sent twice: the app is on already
    assert len(notices(user, "security_totp_activated")) == 2

    assert client.post(reverse("mfa_generate_recovery_codes")).status_code == 302
    sent = notices(user, "security_recovery_codes_generated")
    assert set(sent) == {Message.Channel.SMS, Message.Channel.INBOX}
    assert "các mã khôi phục cũ không còn dùng được" in sent[Message.Channel.INBOX].body
    assert_told_now(sent[Message.Channel.SMS].body)

    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    sent = notices(user, "security_totp_deactivated")
    assert set(sent) == {Message.Channel.SMS, Message.Channel.INBOX}
    assert "vừa được tắt xác thực hai bước bằng ứng dụng xác thực" in sent[Message.Channel.SMS].body
    assert_told_now(sent[Message.Channel.INBOX].body)

    client.post(reverse("mfa_deactivate_totp"))  # nothing left to switch off: nothing to tell
    assert Message.objects.filter(user=user, template__in=EVENTS).count() == 6
    assert "Đã tắt ứng dụng xác thực của tài khoản Cổng dịch vụ BHXH số" in client.get("/thong-bao/").content.decode()


def test_an_account_whose_codes_come_by_email_is_told_by_email(client, mailoutbox):
    staff = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    with_authenticator_app(staff)
    client.force_login(staff)
    reauthenticate(client, "x-Pass-2026!")

    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    sent = notices(staff, "security_totp_deactivated")
    assert set(sent) == {Message.Channel.EMAIL, Message.Channel.INBOX}
    [mail] = [mail for mail in mailoutbox if mail.subject == "Đã tắt ứng dụng xác thực của tài khoản Cổng dịch vụ BHXH số"]
    assert mail.to == ["canbo07901@vssid.local"]
    assert_told_now(mail.body)
    assert not notices(staff, "security_recovery_codes_generated")


def test_an_authenticator_deleted_in_the_admin_is_told_to_its_holder_once(client, sms_outbox, mailoutbox):
    """The agency removing an authenticator (the admin's delete page or its "delete selected"
    action) tells the holder as switching the app off does, once for each change, saying the BHXH
    agency did it. The app's recovery codes go with it, as with allauth's own removal, and the
    one notice says so."""
    from accounts.models import User

    citizen = make_citizen()
    with_authenticator_app(citizen)
    staff = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    with_authenticator_app(staff)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))

    totp = Authenticator.objects.get(user=citizen, type=Authenticator.Type.TOTP)
    delete = reverse("admin:mfa_authenticator_delete", args=[totp.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(user=citizen).exists()  # the codes went with the app
    sent = notices(citizen, "security_totp_removed_by_agency")
    assert set(sent) == {Message.Channel.SMS, Message.Channel.INBOX}
    [sms] = [m["text"] for m in sms_outbox() if m["to"] == PHONE and "cơ quan BHXH" in m["text"]]
    assert "ứng dụng xác thực" in sms and "cơ quan BHXH" in sms and "mã khôi phục" in sms
    assert_told_now(sms)
    assert sent[Message.Channel.INBOX].link == reverse("mfa_index")
    assert "mã khôi phục" in sent[Message.Channel.INBOX].body
    assert_told_now(sent[Message.Channel.INBOX].body)
    assert not notices(citizen, "security_totp_deactivated")  # not said as if the holder did it
    assert not notices(citizen, "security_recovery_codes_removed_by_agency")  # one change, told once

    selected = Authenticator.objects.filter(user=staff).order_by("-type").values_list("pk", flat=True)
    assert set(Authenticator.objects.filter(pk__in=selected).values_list("type", flat=True)) == {
        "totp", "recovery_codes"}
    response = client.post(reverse("admin:mfa_authenticator_changelist"),
                           {"action": "delete_selected", "_selected_action": list(selected), "post": "yes"})
    assert response.status_code == 302
    assert not Authenticator.objects.exists()
    assert set(notices(staff, "security_totp_removed_by_agency")) == {Message.Channel.EMAIL, Message.Channel.INBOX}
    assert not notices(staff, "security_recovery_codes_removed_by_agency")  # removed with the app
    [mail] = [mail for mail in mailoutbox if mail.to == ["canbo07901@vssid.local"] and "ứng dụng xác thực" in mail.subject]
    assert "mã khôi phục" in mail.body
    assert_told_now(mail.body)
    assert Message.objects.filter(user__in=[citizen, staff]).count() == 2 + 2


def test_recovery_codes_deleted_alone_in_the_admin_are_told_and_the_app_stays(client):
    from accounts.models import User

    citizen = make_citizen()
    with_authenticator_app(citizen)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))

    codes = Authenticator.objects.get(user=citizen, type=Authenticator.Type.RECOVERY_CODES)
    response = client.post(reverse("admin:mfa_authenticator_changelist"),
                           {"action": "delete_selected", "_selected_action": [codes.pk], "post": "yes"})
    assert response.status_code == 302
    assert list(Authenticator.objects.filter(user=citizen).values_list("type", flat=True)) == ["totp"]
    sent = notices(citizen, "security_recovery_codes_removed_by_agency")
    assert set(sent) == {Message.Channel.SMS, Message.Channel.INBOX}
    assert "các mã khôi phục này không còn dùng được" in sent[Message.Channel.SMS].body
    assert not notices(citizen, "security_totp_removed_by_agency")


def test_the_app_set_up_again_after_the_agency_deleted_it_shows_new_recovery_codes(client, monkeypatch):
    """The codes the agency meant to cut off (kept with a lost phone, say) do not outlive the app:
    setting it up again makes a new set, shown to the holder, and the old ones no longer work."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    from accounts.models import User

    held = time.time()
    monkeypatch.setattr("allauth.mfa.totp.internal.auth.time", SimpleNamespace(time=lambda: held))
    citizen = make_citizen()
    with_authenticator_app(citizen)
    old = RecoveryCodes(Authenticator.objects.get(user=citizen, type=Authenticator.Type.RECOVERY_CODES)).get_unused_codes()
    admin = User.objects.create_superuser("quantri", password="x-Pass-2026!")
    client.force_login(admin)
    totp = Authenticator.objects.get(user=citizen, type=Authenticator.Type.TOTP)
    assert client.post(reverse("admin:mfa_authenticator_delete", args=[totp.pk]), {"post": "yes"}).status_code == 302
    client.logout()

    client.force_login(citizen)
    reauthenticate(client)
    activate = reverse("mfa_activate_totp")
    secret = client.get(activate).context["form"].secret
    response = client.post(activate, {"code": current_code(secret)}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("mfa_view_recovery_codes")  # the new codes, shown
    new = RecoveryCodes(Authenticator.objects.get(user=citizen, type=Authenticator.Type.RECOVERY_CODES)).get_unused_codes()
    assert new and not set(new) & set(old)
