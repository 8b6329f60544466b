"""The portal has one name where the citizen reads it: "Cổng dịch vụ BHXH số" (README, the header, the
pages' titles, the e-mails' subjects), in every notice and e-mail too; an SMS, where each character counts
towards a part, says the one short form notifications.texts.PORTAL_SMS_NAME, and no other."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from notifications.texts import PORTAL_NAME, PORTAL_SMS_NAME

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(path for folder in ("notifications", "public_services")
                   for path in (ROOT / folder / "templates/notifications/messages").glob("*.txt"))


def test_the_portal_s_name_and_its_sms_form_are_the_header_s_and_one_short_form():
    assert str(PORTAL_NAME) == "Cổng dịch vụ BHXH số" and str(PORTAL_SMS_NAME) == "Cổng BHXH số"
    header = (ROOT / "templates/includes/site_header.html").read_text()
    assert '{% translate "Cổng dịch vụ BHXH số" %}' in header
    assert settings.DEFAULT_FROM_EMAIL.startswith("Cổng dịch vụ BHXH số <")
    with translation.override("en"):  # "the portal" by SMS, as the English SMS said it already
        assert (str(PORTAL_NAME), str(PORTAL_SMS_NAME)) == ("Digital Social Insurance Portal", "portal")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_no_message_template_writes_the_short_name_itself(path):
    """The short form is said in one place: a template names the portal through {% portal_name %}."""
    assert "Cổng BHXH số" not in path.read_text(), path


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
