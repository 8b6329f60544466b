"""The portal has one name where the citizen reads it: "Cổng dịch vụ BHXH số" (README, the header, the
pages' titles, the e-mails' subjects), in every notice and e-mail too; an SMS, where each character counts
towards a part, says the one short form vssid_portal.text.PORTAL_SMS_NAME, and no other. Both are defined
once, translated: the English pages, the admin's header and the messages all say the English name."""

import datetime
import html as html_lib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import translation

from vssid_portal.text import PORTAL_NAME, PORTAL_SMS_NAME

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(path for folder in ("notifications", "public_services")
                   for path in (ROOT / folder / "templates/notifications/messages").glob("*.txt"))


def test_the_portal_s_name_and_its_sms_form_are_the_header_s_and_one_short_form():
    assert str(PORTAL_NAME) == "Cổng dịch vụ BHXH số" and str(PORTAL_SMS_NAME) == "Cổng BHXH số"
    header = (ROOT / "templates/includes/site_header.html").read_text()
    assert "{{ PORTAL_NAME }}</a>" in header and "Cổng dịch vụ BHXH số" not in header
    assert settings.DEFAULT_FROM_EMAIL.startswith("Cổng dịch vụ BHXH số <")
    with translation.override("en"):  # "the portal" by SMS, as the English SMS said it already
        assert (str(PORTAL_NAME), str(PORTAL_SMS_NAME)) == ("Digital Social Insurance Portal", "portal")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_no_message_template_writes_the_portal_s_name_itself(path):
    """The name and its short form are said in one place: a template, its e-mail subject too, names the
    portal through {% portal_name %}."""
    text = path.read_text()
    assert "Cổng BHXH số" not in text and "Cổng dịch vụ BHXH số" not in text, path


@pytest.mark.parametrize(("template", "values"), [
    ("visit_added", {"visit": None}),
    ("security_password_changed", {"at": None}),
    ("otp_login", {"code": "123456", "minutes": 5}),
])
def test_a_notice_or_an_e_mail_says_the_portal_s_name_and_an_sms_its_short_form(template, values):
    at = datetime.datetime(2026, 12, 31, 9, 0, tzinfo=datetime.UTC)
    visit = SimpleNamespace(get_kind_display=lambda: "Ngoại trú", facility=SimpleNamespace(name="BV Quận 1"),
                            admitted_on=datetime.date(2026, 12, 1), discharged_on=datetime.date(2026, 12, 1),
                            total_cost=100000, bhyt_paid=80000, patient_paid=20000)
    context = {**values, "at": at, "visit": visit, "hotline": "1900 9068", "for_child": False}
    said = {channel: render_to_string(f"notifications/messages/{template}.body.txt", {**context, "channel": channel})
            for channel in ("sms", "inbox", "email")}
    assert "Cổng BHXH số" in said["sms"] and "Cổng dịch vụ BHXH số" not in said["sms"], said["sms"]
    for channel in ("inbox", "email"):
        assert "Cổng dịch vụ BHXH số" in said[channel] and "Cổng BHXH số" not in said[channel], said[channel]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "name"), [("vi", "Cổng dịch vụ BHXH số"), ("en", "Digital Social Insurance Portal")])
def test_pages_the_admin_and_messages_take_the_portal_s_name_from_its_one_definition(
        client, settings, reference_data, language, name):
    """The pages' header and title, the pages' PORTAL_NAME (the context processor's, which said the
    Vietnamese name on English pages), the admin's header and section and a notice say one name."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/")
    page = html_lib.unescape(response.content.decode())
    assert re.search(r"<title>Trang chủ – (.*?)</title>|<title>Home – (.*?)</title>", page).group(
        1 if language == "vi" else 2) == name
    assert f'<span class="brand__mark" aria-hidden="true">BHXH</span>{name}</a>' in page
    with translation.override(language):  # the page's own language, as its template said it
        assert str(response.context["PORTAL_NAME"]) == name
        assert str(PORTAL_NAME) == name
        assert str(apps.get_app_config("vssid_portal").verbose_name) == name
        notice = render_to_string("notifications/messages/security_password_changed.body.txt",
                                  {"at": None, "hotline": "1900 9068", "channel": "inbox"})
        assert name in notice
    settings.LANGUAGE_CODE = language  # the admin's language
    client.force_login(get_user_model().objects.create_superuser("quantri", password=None))
    admin_index = html_lib.unescape(client.get("/quan-tri/").content.decode())
    assert {"vi": f">Quản trị {name}</a>", "en": f">{name} administration</a>"}[language] in admin_index


# Where the portal's name may still be written out: its one definition, the sender's name the
# settings read from the environment by default (as .env.example writes it), and what migrations
# stored (a FAQ's answer, a field's past choices), which is data and history rather than the portal's own text.
NAME_WRITTEN_ELSEWHERE = {"vssid_portal/text.py", "vssid_portal/settings.py"}


def portal_source_files():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if (path.suffix in {".py", ".html", ".txt"} and path.is_file()
                and not relative.startswith((".venv/", "tests/", "bench/", "var/"))
                and "/migrations/" not in relative and relative not in NAME_WRITTEN_ELSEWHERE):
            yield relative, path


def test_no_page_pdf_or_message_writes_the_portal_s_name_itself():
    """A sentence of a page, a PDF, a form or a model's label names the portal through PORTAL_NAME (a
    blocktranslate's variable, format_lazy, %(portal)s), and its English says the name only through it too,
    so that a change of the name is one edit of vssid_portal.text and of its one translation."""
    written = [relative for relative, path in portal_source_files()
               if re.search(r"Cổng(?:\s|&nbsp;)+(?:dịch(?:\s|&nbsp;)+vụ(?:\s|&nbsp;)+)?BHXH(?:\s|&nbsp;)+số",
                            path.read_text(encoding="utf-8"))]
    assert written == []
    catalogue = (ROOT / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    english = [entry for entry in catalogue.split("\n\n")
               if "Digital Social Insurance Portal" in entry.replace('"\n"', "") and 'msgid "Cổng dịch vụ BHXH số"' not in entry]
    assert english == []


@pytest.fixture
def renamed(monkeypatch):
    """The portal renamed in its one definition's translations: Vietnamese and English."""
    from django.utils.translation import trans_real

    from vssid_portal.templatetags import layout

    names = {"vi": "Cổng Thử Đổi Tên", "en": "Renamed Test Portal"}
    for language, name in names.items():
        monkeypatch.setitem(trans_real.translation(language)._catalog._catalogs[0], "Cổng dịch vụ BHXH số", name)
    monkeypatch.setattr(layout, "_parts", {})  # the footer, rendered once per language, again
    return names


def page(template, context=None):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    request = RequestFactory().get("/trang/")
    request.user, request.session = AnonymousUser(), {}
    request._messages = FallbackStorage(request)
    return html_lib.unescape(render_to_string(template, context or {}, request=request))


@pytest.mark.parametrize(("language", "sentences"), [
    ("vi", ["Bạn muốn đăng xuất khỏi {name} trên thiết bị này?", "Bảo hiểm xã hội Việt Nam – {name}.",
            "Bản xác nhận quá trình tham gia này do {name} cấp.",
            "Địa chỉ email của bạn đã được khai trên {name} để nhận thông báo",
            "Tài khoản VssID, {name}", "Mã xác thực và tin nhắn của {name} được gửi",
            "kết quả được trả điện tử qua thông báo trên {name}", "chính chủ tài khoản tự nộp trên {name}.",
            "dành cho người có tài khoản trên {name}.", "tài khoản riêng của Nguyễn Văn An trên {name},"]),
    ("en", ["Do you want to log out of the {name} on this device?", "Vietnam Social Security – {name}.",
            "This statement of contribution history was issued by the {name}.",
            "Your email address was given on the {name} to receive", "VssID account, {name}",
            "verification codes and messages of the {name} are sent", "as a notice on the {name}",
            "on their own account on the {name}.", "for people with an account on the {name}.",
            "with Nguyễn Văn An's own account on the {name},"]),
])
def test_the_pages_sentences_naming_the_portal_say_its_one_name(renamed, monkeypatch, language, sentences):
    from public_services.models import Feedback
    from public_services.procedures import contact_change
    from public_services.selectors import _result_delivery

    person = SimpleNamespace(pk=1, full_name="Nguyễn Văn An")
    procedure = contact_change.ContactChange()
    monkeypatch.setattr(contact_change, "may_change_own_contact", lambda person, user=None: False)
    with translation.override(language):
        said = [page("account/logout.html"),
                page("participation/statement_verify.html", {"statement": SimpleNamespace(
                    status="ready", issued_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC))}),
                page("public_services/email_confirm.html", {"token": "abc"}),
                str(Feedback.Topic.ACCOUNT.label), str(contact_change.ContactChangeForm.base_fields["new_phone"].help_text),
                _result_delivery(SimpleNamespace(data={}))]
        for own_login in (True, False):
            monkeypatch.setattr(contact_change, "has_own_login", lambda person, own_login=own_login: own_login)
            said.append(procedure.unavailable(person))
        said.append(procedure.resubmit_unavailable(SimpleNamespace(person=person), user=SimpleNamespace(person_id=2)))
    text = "\n".join(said)
    for sentence in sentences:
        assert sentence.format(name=renamed[language]) in text, sentence
    assert "Cổng dịch vụ BHXH số" not in text and "Digital Social Insurance Portal" not in text
