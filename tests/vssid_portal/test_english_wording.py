"""The English pages and messages say the portal's English: allauth's two-step verification pages in
the portal's terms (locale/allauth, which `make messages` leaves alone), the estimator's law by
its English name, no Vietnamese word inside an English sentence, one word for the helpline and
idiomatic English where a literal rendering read oddly."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.accounts.helpers import officer

REAUTHENTICATE = "/tai-khoan/nhap-lai-mat-khau/"


def main_text(response) -> str:
    html = response.content.decode()
    html = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def title_text(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.fixture
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_the_two_step_verification_pages_say_the_portals_english(english, reference_data):
    english.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    response = english.get(reverse("mfa_index"))
    text = title_text(response) + " " + main_text(response)
    for allauths in ("Two-Factor Authentication", "Authenticator App", "Recovery Codes"):
        assert allauths not in text, allauths
    for ours in ("Two-step verification", "Authenticator app", "Recovery codes", "No recovery codes set up yet."):
        assert ours in text, (ours, text)

    response = english.get(REAUTHENTICATE)
    text = title_text(response) + " " + main_text(response)
    for allauths in ("Confirm Access", "Please reauthenticate to safeguard your account"):
        assert allauths not in text, allauths
    assert "Enter your password again" in text, text
    html = english.post(REAUTHENTICATE, {"password": "wrong-Pass-1"}).content.decode()
    assert "Incorrect password." not in html and "The password is wrong." in html


def test_the_english_allauth_wording_is_kept_out_of_the_catalogue_make_messages_rewrites():
    """`make messages` drops from locale/en what the portal's sources do not mark, as allauth's
    strings are not: they live in a catalogue of their own."""
    base = Path(django_settings.BASE_DIR)
    assert 'msgid "Two-Factor Authentication"' not in (base / "locale/en/LC_MESSAGES/django.po").read_text()
    assert 'msgid "Two-Factor Authentication"' in (base / "locale/allauth/en/LC_MESSAGES/django.po").read_text()
