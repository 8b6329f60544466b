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
    with translation.override("en"):
        assert str(PORTAL_NAME) == "Digital Social Insurance Portal"


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
    from public_services.selectors.next_step import _result_delivery

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


def sms_context(name, for_child):
    """Values for every message template, as long as the messages meet them: a child's name of the
    suite's longest (with diacritics, UCS-2) or a short one in ASCII (GSM 7-bit, when the rest is)."""
    from public_services.models import Feedback, Filing
    from public_services.procedures import registry

    day, at = datetime.date(2026, 12, 28), datetime.datetime(2026, 12, 31, 23, 59, tzinfo=datetime.UTC)
    procedure = registry.get("THAY-DOI-CHI-TRA")  # the longest procedure name
    person = SimpleNamespace(full_name=name, bhxh_code="7901234567")
    return {
        "record": SimpleNamespace(agency=SimpleNamespace(name="BHXH Quan 1"), kind_phrase="sickness benefit",
                                  reference="OD-2026-001", received_on=day, expected_on=day, status="paid",
                                  get_status_display=lambda: "Paid", reject_reason="Blurred photo",
                                  decision_number="12/QD", decision_date=day, paid_date=day),
        "card": SimpleNamespace(number="7901234567", version=2, issued_on=day, valid_from=day, valid_to=day,
                                changed_at=at, agency=SimpleNamespace(name="BHXH Quan 1")),
        "reason": "The card was damaged", "feedback": SimpleNamespace(
            tracking_number="PA2612ABCDEFGH", full_name=name, answer="Done.",
            get_kind_display=lambda: Feedback.Kind.REPORT.label, get_topic_display=lambda: Feedback.Topic.ACCOUNT.label),
        "filing": SimpleNamespace(tracking_number="HS2612ABCDEF", due_date=day, person=person),
        "event": SimpleNamespace(status="returned", note="Add the birth certificate",
                                 get_status_display=lambda: Filing.Status.RETURNED.label),
        "procedure_name": procedure.name, "procedure_sms_name": procedure.sms_name, "correctable": True,
        "before": day, "after": day, "person": person, "for_child": for_child, "code": "123456", "minutes": 5,
        "at": at, "temporary": True, "codes_removed": True, "hotline": "1900 9068", "kinds": ["BHXH", "BHYT"],
        "count": 12, "first": day, "last": day.replace(year=2027),
        "period": SimpleNamespace(get_kind_display=lambda: "compulsory social insurance", from_month=day, to_month=day,
                                  payer_label="ABC Company Limited", base_label="Salary", base=12345678),
        "registration": SimpleNamespace(reference="DK2612ABCD", bhxh_code="7905555555", is_child=for_child,
                                        reject_reason="Blurred photo", person=person, phone="0912345678"),
        "visit": None, "changed": ["email"], "done": True, "days": 7, "confirm_url": "https://example.test/x",
        "name": name, "channel": "sms"}


def english_sms():
    """Every message template's SMS in English as it is sent (notifications.sms.sms_text), for each kind of
    name and for a child or not."""
    from notifications.sms import sms_text

    bodies = sorted(path.name.removesuffix(".body.txt") for folder in ("notifications", "public_services")
                    for path in (ROOT / folder / "templates/notifications/messages").glob("*.body.txt"))
    with translation.override("en"):
        return {(template, name, for_child): sms_text(render_to_string(f"notifications/messages/{template}.body.txt",
                                                                       sms_context(name, for_child)).strip())
                for template in bodies for name in ("Công Tằng Tôn Nữ Thị Hoàng Phương Thảo", "Nguyen Van An")
                for for_child in (False, True)}


def test_an_english_sms_names_the_portal_by_its_short_name_where_the_vietnamese_does():
    """The Vietnamese SMS says Cổng BHXH số; the English one its English, a name, not "the portal"."""
    with translation.override("en"):
        name = str(PORTAL_SMS_NAME)
    texts = english_sms()
    naming = {key: text for key, text in texts.items() if name in text}
    assert {template for template, *_ in naming} >= {"otp_login", "security_password_changed", "benefit_received",
                                                     "bhyt_card_issued", "public_service_filing", "contact_change"}
    for key, text in texts.items():
        assert not re.search(r"\bportal\b", text), (key, text)  # no portal named as a common noun
    assert name[0].isupper() and "Portal" in name


# The most parts each English SMS naming the portal took when it said "the portal", for a short name in
# ASCII and for the suite's longest name (with diacritics: UCS-2), a child's or not. The e-mail to a typed
# address (public_service_email_confirm) is never an SMS.
ENGLISH_SMS_PARTS = {
    "benefit_received": (2, 4), "benefit_updated": (2, 4), "bhyt_card_issued": (2, 4), "bhyt_card_reissued": (2, 4),
    "bhyt_card_revoked": (2, 4), "contact_change": (2, 2), "feedback_answered": (1, 1), "feedback_received": (1, 1),
    "otp_login": (1, 1), "otp_password_change": (1, 1), "otp_password_reset": (1, 1), "participation_changed": (3, 4),
    "participation_import": (2, 3), "participation_removed": (3, 3), "public_service_filing": (1, 3),
    "public_service_filing_left": (1, 3), "security_email_changed_by_agency": (2, 2), "security_new_browser": (2, 2),
    "security_password_changed": (1, 1), "security_password_disabled_by_agency": (2, 2),
    "security_password_reset": (1, 1), "security_password_set_by_agency": (2, 2),
    "security_recovery_codes_generated": (2, 2), "security_recovery_codes_removed_by_agency": (2, 2),
    "security_totp_activated": (2, 2), "security_totp_deactivated": (2, 2), "security_totp_removed_by_agency": (2, 2),
    "visit_added": (1, 2), "visit_updated": (1, 2),
}


def test_the_portal_s_english_short_name_costs_no_sms_a_part():
    """Longer than "portal", the name is paid for by shorter words where it would have added a part
    (tests/notifications/sms_parts.py counts them as the gateway does)."""
    from tests.notifications.sms_parts import sms_parts

    with translation.override("en"):
        name = str(PORTAL_SMS_NAME)
    more = [(key, sms_parts(text), text) for key, text in english_sms().items()
            if name in text and key[0] != "public_service_email_confirm"
            and sms_parts(text) > ENGLISH_SMS_PARTS[key[0]][key[1] != "Nguyen Van An"]]
    assert more == []
