"""The verify page's title says the result (a screen reader reads the title first on a new page),
and its forms leave the checks to the portal's Vietnamese messages, not the browser's own."""

import re

import pytest
from django.test import Client

from health_card.qr import Purpose
from health_card.services import card_qr

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import logged_in

pytestmark = pytest.mark.django_db

URL = "/xac-thuc/the-bhyt/"


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_the_title_names_the_result_for_clinic_staff(card, clinic_user):
    client = logged_in(clinic_user)
    assert title(client.get(URL)).startswith("Xác thực thẻ BHYT")
    typed = {"cach": "nhap", "so_the": "7901234567", "ho_ten": "Nguyễn Văn A", "ngay_sinh": "15/03/1988"}
    assert title(client.post(URL, typed)).startswith("Sai họ tên – Xác thực thẻ BHYT")
    valid = client.post(URL, {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)})
    assert title(valid).startswith("Thẻ hợp lệ – Xác thực thẻ BHYT")
    forged = client.post(URL, {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN).replace("|1|", "|2|", 1)})
    assert title(forged).startswith("Mã QR giả mạo – Xác thực thẻ BHYT")
    assert title(client.post(URL, {"cach": "quet", "ma_qr": ""})).startswith("Lỗi: Xác thực thẻ BHYT")


def test_the_public_title_says_valid_or_not_only(card):
    client = Client()
    valid = client.post(URL, {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)})
    assert title(valid).startswith("Thẻ hợp lệ – Xác thực thẻ BHYT")
    card.status = card.Status.REVOKED
    card.save(update_fields=["status"])
    revoked = client.post(URL, {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)})
    assert title(revoked).startswith("Thẻ không hợp lệ – Xác thực thẻ BHYT")


def test_the_forms_leave_the_checks_to_the_portal(clinic_user):
    html = logged_in(clinic_user).get(URL).content.decode()
    forms = re.findall(r"<form [^>]*>", html)
    verify_forms = [form for form in forms if 'class="verify-form"' in form]
    assert len(verify_forms) == 2 and all(" novalidate" in form for form in verify_forms)
