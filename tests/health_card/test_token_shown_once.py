"""A new clinic token is shown to the officer who made it on the answer to the add form itself,
kept out of every cookie (the messages cookie is signed, not encrypted: it would sit in the
browser's cookie store and in proxy logs) and out of every cache."""

import re

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from health_card.models import FacilityApiToken
from health_card.services import api_token_authenticate
from tests.accounts.helpers import officer

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import logged_in

pytestmark = pytest.mark.django_db

TOKENS = "/quan-tri/health_card/facilityapitoken/"


def cookies_text(response) -> str:
    """Every cookie the response sets, the messages cookie decoded."""
    texts = []
    for name, morsel in response.cookies.items():
        texts.append(morsel.OutputString())
        if name == CookieStorage.cookie_name and morsel.value:
            decoded = CookieStorage(RequestFactory().get("/"))._decode(morsel.value)
            texts.extend(str(message) for message in decoded or [])
    return "\n".join(texts)


@pytest.mark.parametrize("button", ["_save", "_addanother"])
def test_a_new_token_is_shown_on_the_answer_to_the_form_and_in_no_cookie(facility, button):
    client = logged_in(officer("canbo079", "079", "Cán bộ BHXH tỉnh"))
    nonce = client.get(f"{TOKENS}add/").context["adminform"].form["nonce"].value()
    response = client.post(f"{TOKENS}add/", {"facility": facility.pk, "name": "HIS", "nonce": nonce, button: "1"})
    responses = [response]
    while response.status_code in (301, 302):
        response = client.get(response["Location"])
        responses.append(response)
    shown = "\n".join(r.content.decode() for r in responses)
    raw = re.search(r"<code>(bhyt_[^<]+)</code>", shown).group(1)
    token = FacilityApiToken.objects.get()
    assert api_token_authenticate(raw) == token
    for answer in responses:
        assert raw not in cookies_text(answer)
        if raw in answer.content.decode():
            assert "no-store" in answer["Cache-Control"]
    # What comes next, where the officer goes on, shows it no more.
    assert raw not in client.get(TOKENS).content.decode()


def test_a_token_made_from_a_popup_form_is_shown_on_its_answer(facility):
    """A form opened as a popup (?_popup=1) makes a live token too: its answer shows it, rather
    than the admin's page that closes the popup and shows it nowhere."""
    client = logged_in(officer("canbo079", "079", "Cán bộ BHXH tỉnh"))
    nonce = client.get(f"{TOKENS}add/?_popup=1").context["adminform"].form["nonce"].value()
    response = client.post(f"{TOKENS}add/?_popup=1",
                           {"facility": facility.pk, "name": "HIS", "nonce": nonce, "_popup": "1", "_save": "1"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    raw = re.search(r"<code>(bhyt_[^<]+)</code>", response.content.decode()).group(1)
    assert api_token_authenticate(raw) == FacilityApiToken.objects.get()
