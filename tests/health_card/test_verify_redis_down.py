"""The verify page while Redis (where its limits are counted) is down: a check whose limit cannot
be counted is refused with a note that verification is briefly unavailable (503, Retry-After),
not with "too many checks", and checks nothing."""

import re

import pytest
from django.test import Client

from health_card.models import CardCheck
from health_card.qr import Purpose
from health_card.services import card_qr
from tests.accounts.test_code_lookup_redis_down import stop_redis

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import logged_in

pytestmark = pytest.mark.django_db

URL = "/xac-thuc/the-bhyt/"
UNAVAILABLE = "Xác thực thẻ BHYT đang tạm gián đoạn. Hãy thử lại sau vài phút."


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_public_check_during_an_outage_is_said_unavailable_not_too_many(card, settings, monkeypatch):
    stop_redis(settings, monkeypatch)
    response = Client().post(URL, {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)})
    page = text(response)
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert UNAVAILABLE in page and "quá nhiều lần" not in page and "Thẻ hợp lệ" not in page
    assert not CardCheck.objects.exists()


def test_a_clinic_typed_check_is_refused_while_wrong_answers_cannot_be_counted(card, clinic_user, settings,
                                                                               monkeypatch):
    client = logged_in(clinic_user)
    stop_redis(settings, monkeypatch)
    response = client.post(URL, {"cach": "nhap", "so_the": "7901234567", "ho_ten": "Nguyễn Văn Đức",
                                 "ngay_sinh": "01/01/1987"})
    page = text(response)
    assert response.status_code == 503 and UNAVAILABLE in page and "Sai ngày sinh" not in page
    assert not CardCheck.objects.exists()


def test_an_api_check_during_an_outage_is_said_unavailable_not_too_many(card, facility, settings, monkeypatch):
    from health_card.services import api_token_create

    _token, raw = api_token_create(facility=facility, name="HIS")
    stop_redis(settings, monkeypatch)
    response = Client().post("/api/xac-thuc/the-bhyt/", {"maThe": "7901234567", "hoTen": "Nguyễn Văn Đức",
                                                        "ngaySinh": "01/01/1987"},
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert response.json() == {"maKetQua": "503", "hopLe": False,
                               "thongBao": "Xác thực thẻ BHYT đang tạm gián đoạn; hãy thử lại sau vài phút."}
    assert not CardCheck.objects.exists()


def test_a_clinic_scan_is_refused_while_its_checks_cannot_be_counted(card, clinic_user, settings, monkeypatch):
    client = logged_in(clinic_user)
    stop_redis(settings, monkeypatch)
    response = client.post(URL, {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)})
    page = text(response)
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert UNAVAILABLE in page and "quá nhiều" not in page and "Thẻ hợp lệ" not in page
    assert not CardCheck.objects.exists()
