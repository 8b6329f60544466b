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
