"""The clinic verify page's limit per login: its typed check tells a wrong name (060) from a wrong
birth date (070), so without a limit a clinic login could try birth dates for a known card number
and name until one matched. The public page keeps its own limit per IP (test_card_pages.py)."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from accounts.models import User
from accounts.roles import CLINIC_STAFF, sync_groups
from health_card.models import CardCheck
from health_card.qr import Purpose
from health_card.services import card_qr
from health_card.views.verify import CLINIC_RATE

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import logged_in

pytestmark = pytest.mark.django_db

URL = "/xac-thuc/the-bhyt/"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_clinic_staff_are_limited_per_login_on_the_verify_page(card, clinic_user, facility):
    assert CLINIC_RATE == "60/m"
    client = logged_in(clinic_user)
    typed = {"cach": "nhap", "so_the": "7901234567", "ho_ten": "Nguyễn Văn Đức"}
    for guess in range(60):  # birth dates tried for a known card number and name
        response = client.post(URL, {**typed, "ngay_sinh": f"{guess % 28 + 1:02d}/{guess % 12 + 1:02d}/1987"})
        assert response.status_code == 200 and "Sai ngày sinh" in text(response)
    limited = client.post(URL, {**typed, "ngay_sinh": "15/03/1988"})
    page = text(limited)
    assert limited.status_code == 429
    assert "Bạn đã xác thực quá nhiều lần trong một phút. Hãy thử lại sau 1 phút." in page
    assert "Thẻ hợp lệ" not in page and "NGUYỄN VĂN ĐỨC" not in page and facility.name in page
    assert client.post(URL, {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)}).status_code == 429
    assert CardCheck.objects.count() == 60  # a refused post checks nothing
    assert client.get(URL).status_code == 200

    groups = sync_groups(Group, Permission)
    colleague = User.objects.create_user(username="nhanvienkcb2", password="x-Strong-Pass-2026", facility=facility,
                                         is_staff=True)
    colleague.groups.add(groups[CLINIC_STAFF])
    assert "Thẻ hợp lệ" in text(logged_in(colleague).post(URL, {**typed, "ngay_sinh": "15/03/1988"}))
    public = Client().post(URL, {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)})
    assert public.status_code == 200 and "Thẻ hợp lệ" in text(public)
