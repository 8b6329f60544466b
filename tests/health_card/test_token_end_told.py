"""A clinic's software sent a token that no longer works: it is told what ended it first, so that its IT
asks for the right thing. A token revoked after it had already expired was expired first: it is told so, on
its expiry day, not "revoked" on a later day; one revoked while it still worked is told it was revoked."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from health_card.models import FacilityApiToken
from health_card.services import api_token_create

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db

API = "/api/xac-thuc/the-bhyt/"


def refusal(raw: str) -> str:
    response = Client().post(API, {"maThe": "7901234567", "hoTen": "Nguyễn Văn Đức", "ngaySinh": "15/03/1988"},
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    return response.json()["thongBao"]


def test_a_token_revoked_after_it_expired_is_told_expired_on_its_expiry_day(facility):
    token, raw = api_token_create(facility=facility, name="HIS")
    now = timezone.localtime()
    expired, revoked = now - datetime.timedelta(days=10), now - datetime.timedelta(days=3)
    FacilityApiToken.objects.filter(pk=token.pk).update(expires_at=expired, revoked_at=revoked)
    assert refusal(raw).startswith(f"Mã truy cập API này đã hết hạn ngày {expired:%d/%m/%Y}.")


def test_a_token_revoked_while_it_worked_is_told_revoked_on_that_day(facility):
    token, raw = api_token_create(facility=facility, name="HIS")
    revoked = timezone.localtime() - datetime.timedelta(days=3)
    FacilityApiToken.objects.filter(pk=token.pk).update(revoked_at=revoked)
    assert refusal(raw).startswith(f"Mã truy cập API này đã bị thu hồi ngày {revoked:%d/%m/%Y}.")
