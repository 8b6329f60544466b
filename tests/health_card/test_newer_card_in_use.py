"""An expired card's check names the holder's newer card (maTheMoi) only while that card is in use: a newer
card itself past its end date, not yet marked by the nightly expiry, is no card the clinic can be sent to."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from health_card.models import Card
from health_card.qr import Purpose
from health_card.services import api_token_create, card_qr

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_an_expired_cards_check_names_no_newer_card_that_has_ended_too(holder, card, facility):
    today = timezone.localdate()
    Card.objects.filter(pk=card.pk).update(valid_to=today - 30 * DAY)
    printed = card_qr(Card.objects.get(pk=card.pk), purpose=Purpose.PRINT)
    newer = issue(holder.person, facility, valid_from=today - 20 * DAY, valid_to=today + DAY)
    _token, raw = api_token_create(facility=facility, name="HIS")

    def answer():
        return Client().post("/api/xac-thuc/the-bhyt/", {"maQR": printed}, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {raw}").json()

    assert answer()["maTheMoi"] == newer.legacy_number  # in use: named
    Card.objects.filter(pk=newer.pk).update(valid_to=today - DAY)  # ended yesterday, still marked active
    ended = answer()
    assert ended["ketQua"] == "expired" and ended["maTheMoi"] is None
    assert "Người bệnh đã được cấp thẻ mới" not in ended["ghiChu"]
