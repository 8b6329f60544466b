"""Clinic software whose token was revoked is told so, with the date, and what to do; a token that
never existed gets the answer it always had."""

import zoneinfo

import pytest
from django.test import Client

from health_card.models import CardCheck
from health_card.services import api_token_create, api_token_revoke

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db

API = "/api/xac-thuc/the-bhyt/"


def test_a_revoked_token_is_told_it_was_revoked_and_when(card, facility):
    token, raw = api_token_create(facility=facility, name="HIS")
    api_token_revoke(token=token)
    token.refresh_from_db()
    day = token.revoked_at.astimezone(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y")
    response = Client().post(API, {"maThe": "7901234567"}, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401 and response["WWW-Authenticate"] == 'Bearer realm="xac-thuc-the-bhyt"'
    assert response.json() == {"maKetQua": "401", "hopLe": False, "thongBao": (
        f"Mã truy cập API này đã bị thu hồi ngày {day}. Liên hệ cơ quan BHXH để được cấp mã mới.")}
    unknown = Client().post(API, {"maThe": "7901234567"}, content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {raw}x")
    assert unknown.status_code == 401
    assert unknown.json()["thongBao"] == "Thiếu hoặc sai mã truy cập API của cơ sở KCB."
    assert not CardCheck.objects.exists()
