"""The card API's answers to a missing or wrong token are counted per client address: past
settings.HEALTH_CARD_API_UNAUTHORISED_RATE the address is refused with 429 and Retry-After before any
token it sends is looked at, so no one can try tokens without end. A clinic's software with its
token is never counted, and another address is not refused for this one's tries."""

import pytest
from django.test import Client

from health_card.models import CardCheck
from health_card.services import api_token_create
from tests.accounts.test_code_lookup_redis_down import stop_redis

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db

API = "/api/xac-thuc/the-bhyt/"
TYPED = {"maThe": "7901234567", "hoTen": "Nguyễn Văn Đức", "ngaySinh": "15/03/1988"}


def call(token: str | None, address: str = "203.0.113.7"):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return Client(REMOTE_ADDR=address).post(API, TYPED, content_type="application/json", **auth)


def test_the_limit_is_one_a_clinic_integration_never_meets_by_mistake(settings):
    """Sixty a minute: far above the few answers a token changed in a clinic's software gets, and a
    clinic refused by it waits no more than a minute once its token is right."""
    assert settings.HEALTH_CARD_API_UNAUTHORISED_RATE == "60/m"


def test_past_the_limit_of_unauthorised_answers_an_address_is_refused_its_wrong_tokens(card, facility, settings):
    settings.HEALTH_CARD_API_UNAUTHORISED_RATE = "3/h"
    _token, raw = api_token_create(facility=facility, name="HIS")
    assert call(raw).status_code == 200  # a clinic's own calls are not counted
    assert [call(token).status_code for token in (None, "bhyt_wrong", "nonsense")] == [401, 401, 401]
    for token in ("bhyt_fourth_try", None):
        refused = call(token)
        assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 3600
        assert refused.json()["maKetQua"] == "429" and "mã truy cập API" in refused.json()["thongBao"]
    # Another clinic's software behind the same address, with its right token, is still answered.
    assert call(raw).status_code == 200
    assert CardCheck.objects.count() == 2
    assert call("bhyt_wrong", address="198.51.100.9").status_code == 401  # another client


def test_an_unauthorised_call_is_refused_as_unavailable_while_its_count_cannot_be_kept(card, settings, monkeypatch):
    stop_redis(settings, monkeypatch)
    response = call("bhyt_wrong")
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert response.json()["maKetQua"] == "503"
