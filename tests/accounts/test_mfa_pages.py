"""allauth.mfa's pages for officers, in Vietnamese: two-step verification with an authenticator
app (TOTP) and recovery codes, and the reauthentication steps in front of them.

allauth ships no Vietnamese catalogue: its strings are translated in locale/vi/LC_MESSAGES/django.po.
Each page is checked for its Vietnamese heading and for the English it showed before.
"""

import re
import time
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.forms import Form
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from .helpers import officer

pytestmark = pytest.mark.usefixtures("reference_data")

PASSWORD = "x-Pass-2026!"  # tests/accounts/helpers.py officer()
REAUTHENTICATE = "/tai-khoan/nhap-lai-mat-khau/"

# What allauth's pages showed in English before the translation (whole words, case-sensitive).
ENGLISH = [
    "Two-Factor Authentication", "two-factor authentication", "Authenticator App", "Authenticator app",
    "authenticator app", "Authenticator code", "Authenticator secret", "Recovery Codes", "Recovery codes",
    "recovery codes", "Activate", "Deactivate", "Confirm Access", "Confirm", "Enter your password",
    "Enter an authenticator code", "Please reauthenticate", "Alternative options", "Use your password",
    "Use authenticator app or code", "Password", "Code", "Sign In", "Cancel", "View", "Download", "Generate",
    "Unused codes", "Are you sure", "An authenticator app is not active", "No recovery codes set up",
    "There is", "There are", "available", "is active", "You are about to", "Your account is protected",
    "Trust this Browser", "Trust for", "Don't Trust", "Incorrect code", "activated", "deactivated",
    "has been generated", "secure location", "You can store this secret", "scan the QR code",
    "Forgot your password", "months", "weeks", "days",
]


class _Visible(HTMLParser):
    """The text a reader meets in <title> and <main> (the header's language switcher says
    "English" on purpose), with the placeholders and labels of its controls."""

    def __init__(self):
        super().__init__()
        self.parts, self.stack, self.in_main, self.in_title = [], [], 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main += 1
        self.in_title = self.in_title or tag == "title"
        self.stack.append(tag)
        if self.in_main:
            self.parts += [attrs[name] for name in ("placeholder", "title", "aria-label") if attrs.get(name)]
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main -= 1
        if tag == "title":
            self.in_title = False
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if (self.in_main or self.in_title) and not {"script", "style"} & set(self.stack):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)]


def h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, html[:3000]
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def page(client, url, heading):
    """GET a page: 200, `heading` as its <h1>, Vietnamese throughout."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    html = response.content.decode()
    assert h1(html) == heading, url
    text = visible_text(html)
    assert english_in(text) == [], (url, text)
    return text


@pytest.fixture
def staff(client):
    user = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    client.force_login(user)
    return user


def reauthenticate(client):
    """allauth asks again for the password before changing the second factor."""
    response = client.post(REAUTHENTICATE, {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:3000]


def with_authenticator_app(user):
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)


def current_code(secret):
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_reauthenticate_page_is_vietnamese(client, staff):
    text = page(client, REAUTHENTICATE, "Xác nhận quyền truy cập")
    assert "Vui lòng xác thực lại để bảo vệ tài khoản của bạn." in text
    assert "Nhập mật khẩu của bạn:" in text and "Xác nhận" in text and "Mật khẩu" in text

    html = client.post(REAUTHENTICATE, {"password": "sai-mat-khau"}).content.decode()
    assert "Mật khẩu không đúng." in visible_text(html)
    assert english_in(visible_text(html)) == []


def test_two_factor_index_without_an_authenticator(client, staff):
    text = page(client, reverse("mfa_index"), "Xác thực hai bước")
    for phrase in ("Ứng dụng xác thực", "Chưa kích hoạt ứng dụng xác thực.", "Kích hoạt", "Mã khôi phục",
                   "Chưa thiết lập mã khôi phục."):
        assert phrase in text


def allauth_mail():
    """allauth's own e-mails, their subject led by the site's name in brackets."""
    return [email for email in mail.outbox if email.subject.startswith("[")]


# allauth sends its flash messages and e-mails on commit, inside the request: these tests commit for real.
@pytest.mark.django_db(transaction=True)
def test_activating_the_authenticator_app_in_vietnamese(client, staff, settings, monkeypatch):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True  # officers are told by e-mail of changes to their second factor
    # A code is good for its own 30-second step only (allauth's TOTP_TOLERANCE is 0): allauth's clock
    # stands still, so that a step ending between working out the code and posting it cannot refuse it.
    held = time.time()
    monkeypatch.setattr("allauth.mfa.totp.internal.auth.time", SimpleNamespace(time=lambda: held))
    activate = reverse("mfa_activate_totp")
    response = client.get(activate)
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)
    reauthenticate(client)

    text = page(client, activate, "Kích hoạt ứng dụng xác thực")
    for phrase in ("quét mã QR", "Khóa bí mật của ứng dụng xác thực", "Mã xác thực", "Kích hoạt"):
        assert phrase in text
    secret = client.get(activate).context["form"].secret

    html = client.post(activate, {"code": "000000" if current_code(secret) != "000000" else "111111"}).content.decode()
    assert "Mã xác thực không đúng." in visible_text(html) and english_in(visible_text(html)) == []

    response = client.post(activate, {"code": current_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    text = page(client, response["Location"], "Mã khôi phục")
    assert "Đã kích hoạt ứng dụng xác thực." in text  # the flash message

    [email] = allauth_mail()  # beside it, the portal's own notice (test_second_factor_notices.py)
    assert email.subject.endswith("Đã kích hoạt ứng dụng xác thực")
    assert "Đã kích hoạt ứng dụng xác thực." in email.body and "Địa chỉ IP" in email.body
    assert english_in(email.subject + " " + email.body) == []


@pytest.mark.django_db(transaction=True)
def test_pages_for_an_officer_with_an_authenticator_app(client, staff, settings):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    with_authenticator_app(staff)

    text = page(client, reverse("mfa_index"), "Xác thực hai bước")
    for phrase in ("Ứng dụng xác thực đang được kích hoạt.", "Tắt", "Còn 10 trên tổng số 10 mã khôi phục chưa sử dụng.",
                   "Xem", "Tải xuống", "Tạo mã mới"):
        assert phrase in text, phrase

    # Changing the second factor asks again: by password or by the authenticator app.
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)
    text = page(client, REAUTHENTICATE, "Xác nhận quyền truy cập")
    assert "Cách khác" in text and "Dùng ứng dụng xác thực hoặc mã khôi phục" in text
    text = page(client, reverse("mfa_reauthenticate"), "Xác nhận quyền truy cập")
    assert "Nhập mã từ ứng dụng xác thực hoặc một mã khôi phục:" in text and "Dùng mật khẩu" in text
    reauthenticate(client)

    text = page(client, reverse("mfa_deactivate_totp"), "Tắt ứng dụng xác thực")
    assert "Bạn có chắc chắn không?" in text
    text = page(client, reverse("mfa_view_recovery_codes"), "Mã khôi phục")
    for phrase in ("Còn 10 trên tổng số 10 mã khôi phục chưa sử dụng.", "Mã chưa sử dụng", "Tải xuống các mã", "Tạo bộ mã mới"):
        assert phrase in text, phrase
    text = page(client, reverse("mfa_generate_recovery_codes"), "Mã khôi phục")
    assert "Thao tác này sẽ làm các mã hiện có mất hiệu lực." in text and "Tạo mã mới" in text
    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download.status_code == 200 and download["Content-Type"].startswith("text/plain")

    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    assert "Đã tạo bộ mã khôi phục mới." in page(client, response["Location"], "Mã khôi phục")
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert "Đã tắt ứng dụng xác thực." in page(client, response["Location"], "Xác thực hai bước")

    subjects = [email.subject for email in allauth_mail()]
    assert [s.split("] ")[-1] for s in subjects] == ["Đã tạo mã khôi phục mới", "Đã tắt ứng dụng xác thực"]
    for email in allauth_mail():
        assert english_in(email.subject + " " + email.body) == [], email.body


def test_the_second_step_of_an_officers_login(staff):
    with_authenticator_app(staff)
    client = Client()
    response = client.post("/tai-khoan/dang-nhap/", {"login": staff.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    text = page(client, reverse("mfa_authenticate"), "Xác thực hai bước")
    assert "Tài khoản của bạn được bảo vệ bằng xác thực hai bước." in text
    assert "Đăng nhập" in text and "Hủy" in text

    html = client.post(reverse("mfa_authenticate"), {"code": "12345678"}).content.decode()
    assert "Mã xác thực không đúng." in visible_text(html) and english_in(visible_text(html)) == []


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_the_allauth_pages_say_error_first_in_their_title_after_a_refused_code(client, staff):
    """allauth's pages set their own title: a refused code or password still begins it with "Lỗi: " (once)."""
    html = client.post(REAUTHENTICATE, {"password": "sai-mat-khau"}).content.decode()
    assert title(html) == "Lỗi: Xác nhận quyền truy cập – Cổng dịch vụ BHXH số"
    reauthenticate(client)
    html = client.post(reverse("mfa_activate_totp"), {"code": "12"}).content.decode()  # its own title says so
    assert title(html) == "Lỗi: Kích hoạt ứng dụng xác thực – Cổng dịch vụ BHXH số"

    with_authenticator_app(staff)
    html = client.post(reverse("mfa_reauthenticate"), {"code": "1"}).content.decode()
    assert title(html) == "Lỗi: Xác nhận quyền truy cập – Cổng dịch vụ BHXH số"
    login = Client()
    response = login.post("/tai-khoan/dang-nhap/", {"login": staff.username, "password": PASSWORD})
    assert response["Location"] == reverse("accounts_auth:login_confirm")  # the session of `client` is warned of
    login.post(response["Location"], {"action": "continue"})
    assert title(login.get(reverse("mfa_authenticate")).content.decode()) == "Đăng nhập – Cổng dịch vụ BHXH số"
    html = login.post(reverse("mfa_authenticate"), {"code": "12345678"}).content.decode()
    assert title(html) == "Lỗi: Đăng nhập – Cổng dịch vụ BHXH số"


def test_the_trust_this_browser_page(staff):
    """Not a step of the portal's login (accounts/stages.py trusts the browser itself), but
    allauth's page is translated all the same."""
    request = RequestFactory().get("/")
    request.user = staff
    # Django's timeuntil counts calendar months: 90 days read "3 tháng" from 06/12 (to 06/03) but
    # "2 tháng, 4 tuần" from 31/12 (to 30/03), so the day is fixed.
    now = timezone.make_aware(timezone.datetime(2026, 12, 6, 10, 0))
    with translation.override("vi"):
        html = render_to_string("mfa/trust.html", {"form": Form(), "trust_from": now,
                                                   "trust_until": now + timezone.timedelta(days=90)}, request)
    assert h1(html) == "Tin cậy trình duyệt này?"
    text = visible_text(html)
    assert "Tin cậy trong 3 tháng" in text and "Không tin cậy" in text and "Hủy" in text
    assert english_in(text) == []


def test_notifications_and_messages_templates():
    context = {"ip": "10.0.0.9", "user_agent": "Firefox", "timestamp": "01/12/2026 09:00",
               "current_site": type("Site", (), {"name": "Cổng BHXH số", "domain": "vssid.local"})(),
               "MFA_RECOVERY_CODES_SHOW_ONCE": True}
    with translation.override("vi"):
        texts = {name: render_to_string(name, context) for name in (
            "mfa/email/totp_activated_subject.txt", "mfa/email/totp_activated_message.txt",
            "mfa/email/totp_deactivated_subject.txt", "mfa/email/totp_deactivated_message.txt",
            "mfa/email/recovery_codes_generated_subject.txt", "mfa/email/recovery_codes_generated_message.txt",
            "mfa/messages/totp_activated.txt", "mfa/messages/totp_deactivated.txt",
            "mfa/messages/recovery_codes_generated.txt",
        )}
    for name, text in texts.items():
        assert english_in(text) == [], (name, text)
        assert not re.search(r"\b(?:the|you|your|has|been|this|from)\b", text, re.I), (name, text)
    assert "Cổng BHXH số xin kính chào!" in texts["mfa/email/totp_activated_message.txt"]
    assert "Hãy lưu các mã này ở nơi an toàn ngay bây giờ" in texts["mfa/messages/recovery_codes_generated.txt"]


@pytest.fixture
def citizen(client):
    from accounts.models import User

    from .helpers import make_person

    user = User.objects.create_user("7901234567", password=PASSWORD, person=make_person())
    client.force_login(user)
    return user


def test_the_security_page_offers_the_authenticator_app(client, citizen):
    """A citizen reaches the authenticator app from the security page, offered as the stronger
    alternative to the SMS code, and is told there when it is on."""
    html = client.get(reverse("accounts_auth:security")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in html
    text = visible_text(html)
    assert "Xác thực hai bước" in text and "an toàn hơn mã gửi qua SMS" in text

    with_authenticator_app(citizen)
    text = visible_text(client.get(reverse("accounts_auth:security")).content.decode())
    assert "Tài khoản đang được bảo vệ bằng ứng dụng xác thực." in text


def error_summary(html: str) -> str:
    match = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert match, visible_text(html)
    return match.group(1)


def test_the_authenticator_pages_sum_up_their_errors(client, citizen):
    """A refused code or password is summed up at the top of the page, linking to the field, as
    on every other form of the portal."""
    response = client.post(REAUTHENTICATE, {"password": ""})
    assert '<a href="#id_password">Trường này là bắt buộc.</a>' in error_summary(response.content.decode())
    reauthenticate(client)
    response = client.post(reverse("mfa_activate_totp"), {"code": "12"})
    assert '<a href="#id_code">Mã xác thực không đúng.</a>' in error_summary(response.content.decode())
    assert "error-summary" not in client.get(reverse("mfa_activate_totp")).content.decode()

    with_authenticator_app(citizen)
    response = client.post(reverse("mfa_reauthenticate"), {"code": "1"})
    assert '<a href="#id_code">Mã xác thực không đúng.</a>' in error_summary(response.content.decode())
    login = Client()
    response = login.post("/tai-khoan/dang-nhap/", {"login": citizen.username, "password": PASSWORD})
    assert response["Location"] == reverse("accounts_auth:login_confirm")  # the session of `client` is warned of
    login.post(response["Location"], {"action": "continue"})
    response = login.post(reverse("mfa_authenticate"), {"code": "12345678"})
    assert '<a href="#id_code">Mã xác thực không đúng.</a>' in error_summary(response.content.decode())


def test_the_activation_page_names_its_qr_code_and_lets_the_secret_be_copied(client, citizen):
    """The QR code is described, not read out as 32 letters; the secret, for a citizen who cannot
    scan the QR code (the app on the very phone showing the page), can be selected and copied: a
    disabled box can be neither focused nor, in some browsers, selected."""
    reauthenticate(client)
    response = client.get(reverse("mfa_activate_totp"))
    html, secret = response.content.decode(), response.context["form"].secret
    [img] = re.findall(r"<img [^>]*>", html.split('<main', 1)[1])
    assert 'alt="Mã QR để thêm tài khoản vào ứng dụng xác thực"' in img and secret not in img
    [box] = re.findall(r'<input [^>]*id="authenticator_secret"[^>]*>', html)
    assert "readonly" in box and "disabled" not in box and f'value="{secret}"' in box
    assert "không quét được mã QR" in visible_text(html)


def test_the_authenticator_pages_use_the_portals_buttons_and_fields(client, citizen):
    """allauth's pages show their actions as the portal's buttons (the destructive one in red, the
    others secondary) and their fields as the portal's (label, message, box), instead of the
    browser's bare buttons, a bulleted list of links and Django's <p> rendering."""
    main = client.post(REAUTHENTICATE, {"password": ""}).content.decode().split("<main", 1)[1]
    assert '<button class="button" type="submit">' in main
    assert '<div class="field field--error">' in main and '<label for="id_password">Mật khẩu</label>' in main
    reauthenticate(client)
    with_authenticator_app(citizen)
    html = client.get(reverse("mfa_index")).content.decode()
    main = html.split("<main", 1)[1]
    assert f'<a href="{reverse("mfa_deactivate_totp")}" class="button button--danger">' in main
    assert f'<a href="{reverse("mfa_download_recovery_codes")}" class="button button--secondary">' in main
    assert "<li>" not in main


def test_the_recovery_codes_are_shown_in_a_labelled_field_of_the_portal(client, citizen):
    reauthenticate(client)
    with_authenticator_app(citizen)
    html = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert re.search(r'<div class="field">\s*<label for="recovery_codes">\s*Mã chưa sử dụng\s*</label>\s*<textarea', html)


def test_the_security_page_of_an_officer_compares_the_app_with_the_email_code(client, staff):
    """An officer's login codes come by e-mail: the app is offered instead of those, not of SMS."""
    text = visible_text(client.get(reverse("accounts_auth:security")).content.decode())
    assert "an toàn hơn mã gửi qua email" in text and "SMS" not in text


def test_the_security_page_of_an_account_receiving_no_code_offers_the_app_without_naming_sms(client, citizen):
    """An account with neither phone nor e-mail logs in on a new browser with no code at all
    (accounts.stages): the app is offered as such, not as a replacement for codes it never gets."""
    citizen.person.phone = ""
    citizen.person.save(update_fields=["phone"])
    html = client.get(reverse("accounts_auth:security")).content.decode()
    text = visible_text(html)
    assert "Tài khoản chưa có số điện thoại hoặc email để nhận mã xác thực" in text  # the section above
    assert "nhập mã từ một ứng dụng xác thực trên điện thoại" in text and "Thay cho mã" not in text
    assert "SMS" not in text and f'href="{reverse("mfa_index")}"' in html


def code_input(html: str) -> dict[str, str]:
    """The attributes of the page's code box."""
    [tag] = re.findall(r'<input[^>]*\bname="code"[^>]*>', html)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_the_code_boxes_bring_up_the_numeric_keyboard_and_offer_the_code(client, staff):
    """The app's codes and the recovery codes are digits: the login step, the reauthentication
    by code and the activation page ask the phone for its number pad and offer a code it has."""
    with_authenticator_app(staff)
    login = Client()
    login.post("/tai-khoan/dang-nhap/", {"login": staff.username, "password": PASSWORD})
    pages = {"login step": login.get(reverse("mfa_authenticate")),
             "reauthentication": client.get(reverse("mfa_reauthenticate"))}
    Authenticator.objects.filter(user=staff).delete()
    reauthenticate(client)
    pages["activation"] = client.get(reverse("mfa_activate_totp"))
    for name, response in pages.items():
        attrs = code_input(response.content.decode())
        assert attrs.get("inputmode") == "numeric", name
        assert attrs.get("autocomplete") == "one-time-code", name
        assert "placeholder" not in attrs, name  # its label says what to type, as on the portal's other forms
    assert re.fullmatch(r"\d{8}", RecoveryCodes.activate(staff).generate_codes()[0])  # a recovery code fits
