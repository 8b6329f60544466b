"""A login attached to a KCB facility checks cards as a clinic only with the clinic staff's permission
(health_card.verify_card): without it (a login the agency has not given the role, or has taken it from), the
verify page is the public one, which shows no holder's name or details and compares no typed data."""

import pytest
from django.utils import timezone

from accounts.models import User
from health_card.qr import Purpose
from health_card.services import card_qr

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import logged_in

pytestmark = pytest.mark.django_db


def test_a_facility_login_without_the_verify_permission_sees_the_public_page(card, facility):
    user = User.objects.create_user(username="ketoankcb", password="x-Strong-Pass-2026", facility=facility,
                                    is_staff=True, last_login=timezone.now())
    client = logged_in(user)
    page = client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.PRINT)})
    html = page.content.decode()
    assert "Thẻ hợp lệ" in html and "NGUYỄN VĂN ĐỨC" not in html and card.legacy_number not in html
    typed = client.post("/xac-thuc/the-bhyt/", {"cach": "nhap", "so_the": card.number, "ho_ten": "Nguyễn Văn Đức",
                                                "ngay_sinh": "15/03/1988"}).content.decode()
    assert "NGUYỄN VĂN ĐỨC" not in typed and card.legacy_number not in typed
