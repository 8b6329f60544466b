"""The limits that only spare the portal work a citizen may need done let the request through
uncounted, with a warning logged, while Redis (where they are counted) is down, instead of answering
503: files attached to a procedure's form or a correction (public_services.views.drafts.UPLOAD_POSTS_PER_LOGIN),
the public directory's searches (settings.PUBLIC_LOOKUP_RATE), the printable card
(health_card.views.card.PRINT_RATE), the registration's agency search (settings.REGISTRATION_AGENCY_SEARCHES_PER_CLIENT)
and the participation history's CSV export (settings.PARTICIPATION_EXPORTS_PER_LOGIN). PostgreSQL holds what they serve. The limits that guard
enumeration, SMS or accounts keep refusing with 503 (their own *_redis_down tests)."""

import logging
import re

import pytest
from django.test import Client

from health_card.models import Card
from health_card.views import card as card_views
from public_services.models import Filing
from public_services.services import filing_return
from public_services.views import drafts as filing_drafts
from tests.accounts.helpers import declaration_data, jpeg, make_person
from tests.accounts.test_code_lookup_redis_down import stop_redis
from tests.health_card.card_fixtures import *  # noqa: F401,F403
from tests.health_card.card_fixtures import logged_in
from tests.public_services.helpers import answers, correction, district_officer, logged, owner, submit  # noqa: F401

pytestmark = [pytest.mark.security, pytest.mark.django_db]

URL = "/dich-vu-cong/cap-lai-so-bhxh/"
NOT_COUNTED = "not counted (cache unavailable)"


@pytest.fixture
def one_allowed(monkeypatch):
    """Limits of one: a second request refused, were it counted."""
    monkeypatch.setattr(filing_drafts, "UPLOAD_POSTS_PER_LOGIN", "1/h")
    monkeypatch.setattr(card_views, "PRINT_RATE", "1/h")


def refused_past_one(client, url, data):
    """The premise, while Redis is up: the login's one post with files of the hour is read, the next
    refused (429), so the patched limit is the one the page counts."""
    first = client.post(url, {**data, "attached_files": [jpeg("a.jpg")]})
    assert first.status_code == 200 and first.context["form"].errors
    assert client.post(url, {**data, "attached_files": [jpeg("z.jpg")]}).status_code == 429


def test_files_attached_to_a_procedures_form_are_read_while_redis_is_down(owner, one_allowed, settings,  # noqa: F811
                                                                           monkeypatch, caplog):
    client = logged(owner)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(URL).content.decode()).group(1)
    incomplete = {**answers("607A"), "reason": "", "idempotency_key": key}  # refused for the reason missing
    refused_past_one(client, URL, incomplete)
    stop_redis(settings, monkeypatch)
    with caplog.at_level(logging.WARNING, logger="vssid_portal.ratelimit"):
        for name in ("b.jpg", "c.jpg"):
            response = client.post(URL, {**incomplete, "attached_files": [jpeg(name)]})
            assert response.status_code == 200 and response.context["form"].errors
    assert len(response.context["attached"]) == 3  # a.jpg, and both read and kept
    assert NOT_COUNTED in caplog.text
    complete = client.post(URL, {**answers("607A"), "idempotency_key": key, "attached_files": [jpeg("d.jpg")]})
    assert complete.status_code == 302  # on to the review


def test_files_attached_to_a_correction_are_read_while_redis_is_down(owner, district_officer, one_allowed,  # noqa: F811
                                                                      settings, monkeypatch):
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Gửi kèm bản chụp giấy tờ.")
    filing.refresh_from_db()
    client, url = logged(owner), f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    incomplete = {**correction(filing, "607A"), "reason": ""}
    refused_past_one(client, url, incomplete)
    stop_redis(settings, monkeypatch)
    for name in ("b.jpg", "c.jpg"):
        assert client.post(url, {**incomplete, "attached_files": [jpeg(name)]}).status_code == 200
    assert client.post(url, {**correction(filing, "607A"), "attached_files": [jpeg("d.jpg")]}).status_code == 302
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED and filing.revision == 2


def test_the_public_directory_answers_while_redis_is_down(reference_data, settings, monkeypatch, caplog):
    settings.PUBLIC_LOOKUP_RATE = "1/m"
    stop_redis(settings, monkeypatch)
    client = Client(REMOTE_ADDR="192.0.2.70")
    with caplog.at_level(logging.WARNING, logger="vssid_portal.ratelimit"):
        for url in ["/tra-cuu/co-quan-bhxh/", "/tra-cuu/co-so-kcb/", "/tra-cuu/co-so-kcb/cap-giay-nghi-om/",
                    "/tra-cuu/don-vi/", "/tra-cuu/diem-thu/"]:
            response = client.get(url, {"q": "phu nhuan"})
            assert response.status_code == 200, url
            assert not response.context["form"].non_field_errors()
    assert client.get("/tra-cuu/co-quan-bhxh/", {"q": "phu nhuan"}).context["page"].paginator.count >= 1
    assert NOT_COUNTED in caplog.text


def test_the_printable_card_is_drawn_while_redis_is_down(holder, card, one_allowed, settings,  # noqa: F811
                                                         monkeypatch):
    drawn = []
    monkeypatch.setattr(card_views, "render_pdf", lambda template, context: drawn.append(template) or b"%PDF-1.7")
    client = logged_in(holder)
    stop_redis(settings, monkeypatch)
    responses = [client.get(f"/the-bhyt/{card.pk}/in/") for _ in range(2)]
    assert [response.status_code for response in responses] == [200, 200]
    assert responses[1]["Content-Type"] == "application/pdf" and len(drawn) == 2
    assert Card.objects.filter(pk=card.pk).exists()


def test_the_registrations_agency_search_answers_while_redis_is_down(reference_data, settings, monkeypatch, caplog):
    settings.REGISTRATION_AGENCY_SEARCHES_PER_CLIENT = "1/h"
    make_person()
    client = Client(REMOTE_ADDR="192.0.2.71")
    client.post("/dang-ky/", declaration_data())
    client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    stop_redis(settings, monkeypatch)
    with caplog.at_level(logging.WARNING, logger="vssid_portal.ratelimit"):
        for _ in range(2):
            response = client.get("/dang-ky/co-quan/", {"q": "cau giay"})
            assert response.status_code == 200
            assert "[00101] BHXH cơ sở Cầu Giấy" in response.content.decode()
    assert NOT_COUNTED in caplog.text


def test_the_participation_history_is_exported_while_redis_is_down(holder, settings, monkeypatch):  # noqa: F811
    settings.PARTICIPATION_EXPORTS_PER_LOGIN = "1/h"
    client = logged_in(holder)
    stop_redis(settings, monkeypatch)
    responses = [client.get("/qua-trinh-tham-gia/xuat-csv/") for _ in range(2)]
    assert [response.status_code for response in responses] == [200, 200]
    assert responses[1]["Content-Type"] == "text/csv; charset=utf-8"
