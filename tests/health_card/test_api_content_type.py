"""The card-check API answers a form post, which it does not read, with a 415 that says what to send,
instead of reading the form as a scanned QR string that could not be read."""

import pytest
from django.test import Client

from health_card.models import CardCheck
from health_card.services import api_token_create

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db

API = "/api/xac-thuc/the-bhyt/"


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/x-www-form-urlencoded", "maThe=7901234567&hoTen=Nguyen&ngaySinh=15%2F03%2F1988"),
    ("multipart/form-data; boundary=xx", '--xx\r\nContent-Disposition: form-data; name="maQR"\r\n\r\nabc\r\n--xx--\r\n'),
])
def test_a_form_post_is_told_what_to_send_and_checks_nothing(card, facility, content_type, body):
    _token, raw = api_token_create(facility=facility, name="HIS")
    response = Client().post(API, body.encode(), content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 415 and response.json() == {
        "maKetQua": "415", "hopLe": False,
        "thongBao": "Gửi một đối tượng JSON (Content-Type: application/json) có maQR, hoặc maThe + hoTen + ngaySinh "
                    "(dd/mm/yyyy); hoặc gửi chuỗi mã QR dạng text/plain."}
    assert not CardCheck.objects.exists()
