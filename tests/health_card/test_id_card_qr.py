"""A citizen ID card's (CCCD) QR scanned at a clinic: since 15/08/2025 its 12-digit number
identifies the BHYT card, so the check compares its number, name and birth date as a typed check
does, instead of asking for a rescan that would read the same string again."""

import datetime
import re

import pytest
from django.test import Client

from health_card import qr
from health_card.models import CardCheck
from health_card.qr import Kind, QrError
from health_card.services import api_token_create

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import logged_in

pytestmark = pytest.mark.django_db

# The holder of the `card` fixture: CCCD 079088012345, Nguyễn Văn Đức, born 15/03/1988.
CHIP = "079088012345|123456789|Nguyễn Văn Đức|15031988|Nam|HCM|01012021"
CHIP_11 = CHIP + "|Nguyễn Văn Bình|Trần Thị Cúc|Kinh|Không"
UNKNOWN = "079088001234|123456789|Nguyễn Văn A|15031988|Nam|HCM|01012021"
URL, API = "/xac-thuc/the-bhyt/", "/api/xac-thuc/the-bhyt/"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("payload", [CHIP, CHIP_11, f"{CHIP}\r\n", CHIP.encode()])
def test_a_chip_id_qr_of_7_or_11_parts_is_read_as_an_id_card(payload):
    assert qr.parse(payload) == qr.IdCard("079088012345", "Nguyễn Văn Đức", datetime.date(1988, 3, 15))


@pytest.mark.parametrize("payload", [
    CHIP.replace("|15031988|", "|31021988|"),
    CHIP.replace("|15031988|", "|15/03/1988|"),
    CHIP.replace("|Nguyễn Văn Đức|", "| |"),
])
def test_a_chip_id_qr_with_an_unreadable_name_or_birth_date_is_still_told_as_one(payload):
    with pytest.raises(QrError) as error:
        qr.parse(payload)
    assert error.value.kind == Kind.ID_CARD


def test_a_cut_bhyt_qr_is_still_truncated():
    with pytest.raises(QrError) as error:
        qr.parse("079088012345|4e67|29/03/1988|1|-|01 - 043|$")  # a 12-digit card number, closed by `$`
    assert error.value.kind == Kind.TRUNCATED


def test_the_clinic_page_checks_a_chip_id_qr_like_a_typed_check(card, clinic_user):
    client = logged_in(clinic_user)
    for payload in (CHIP, CHIP_11):
        page = text(client.post(URL, {"cach": "quet", "ma_qr": payload}))
        assert "Thẻ hợp lệ" in page and "NGUYỄN VĂN ĐỨC" in page and "mã QR trên thẻ CCCD" in page
        assert "quét lại" not in page.lower()
    page = text(client.post(URL, {"cach": "quet", "ma_qr": CHIP.replace("15031988", "16031988")}))
    assert "Sai ngày sinh" in page and "NGUYỄN VĂN ĐỨC" not in page
    page = text(client.post(URL, {"cach": "quet", "ma_qr": UNKNOWN}))
    assert "Không tìm thấy thẻ" in page and "bị đọc thiếu" not in page
    page = text(client.post(URL, {"cach": "quet", "ma_qr": CHIP.replace("15031988", "15/03/1988")}))
    assert "Đây là mã QR trên thẻ CCCD" in page and "Hoặc nhập thông tin trên thẻ" in page
    assert "quét lại" not in page.lower()
    logged = list(CardCheck.objects.order_by("at", "pk").values_list("channel", "result", "card"))
    assert logged == [("typed", "valid", card.pk)] * 2 + [("typed", "wrong_birth_date", card.pk),
                                                          ("typed", "not_found", None), ("qr", "id_card", None)]


def test_the_public_page_says_what_a_chip_id_qr_is_and_shows_no_one(card):
    response = Client().post(URL, {"cach": "quet", "ma_qr": CHIP})
    page = text(response)
    assert response.status_code == 200
    assert "Mã QR trên thẻ CCCD" in page and "Đây là mã QR trên thẻ CCCD" in page
    assert "Thẻ hợp lệ" not in page and "NGUYỄN" not in page and "quét lại" not in page.lower()
    assert list(CardCheck.objects.values_list("channel", "result", "card")) == [("public", "id_card", None)]


def test_the_api_checks_a_chip_id_qr_like_a_typed_check(card, facility):
    token, raw = api_token_create(facility=facility, name="HIS")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def send(payload, **kwargs):
        return Client().post(API, {"maQR": payload}, content_type="application/json", **auth, **kwargs).json()

    answer = send(CHIP)
    assert answer["maKetQua"] == "000" and answer["hoTen"] == "Nguyễn Văn Đức" and answer["maSoBHXH"] == "7901234567"
    assert "coChuKy" not in answer
    raw_body = Client().post(API, CHIP_11, content_type="text/plain", **auth).json()
    assert raw_body["maKetQua"] == "000"
    assert send(CHIP.replace("Nguyễn Văn Đức", "Nguyễn Văn Tài"))["maKetQua"] == "060"
    assert send(UNKNOWN)["maKetQua"] == "050"
    unreadable = send(CHIP.replace("15031988", "1988"))
    assert unreadable["ketQua"] == "id_card" and unreadable["maKetQua"] == "205"
    assert unreadable["thongBao"] == "Mã QR trên thẻ CCCD" and "quét lại" not in unreadable["ghiChu"].lower()
    assert set(CardCheck.objects.values_list("channel", flat=True)) == {"api"}
    assert CardCheck.objects.filter(token=token, card=card).count() == 3


def test_a_chip_id_qr_whose_number_two_records_share_checks_the_card_of_the_one_it_names(card, clinic_user,
                                                                                        facility):
    """The CCCD's own QR gives the name and birth date of its holder: with the number on two records
    (one entered on the wrong record), the record with that name and birth date is the patient's."""
    from health_card.services import reissue_card
    from tests.accounts.helpers import make_person

    from .card_fixtures import issue

    other = make_person("7908888888", "Trần Văn Nam", birth=datetime.date(1970, 1, 2), id_number="079088012345")
    reissue_card(issue(other, facility).person, "Mất thẻ")
    page = text(logged_in(clinic_user).post(URL, {"cach": "quet", "ma_qr": CHIP}))
    assert "Thẻ hợp lệ" in page and "NGUYỄN VĂN ĐỨC" in page and "TRẦN VĂN NAM" not in page
    _token, raw = api_token_create(facility=facility, name="HIS")
    answer = Client().post(API, CHIP.encode(), content_type="text/plain", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert (answer["maKetQua"], answer["maSoBHXH"]) == ("000", "7901234567")
    assert list(CardCheck.objects.values_list("result", "card")) == [("valid", card.pk)] * 2


def test_the_english_clinic_page_names_the_citizen_identity_card_in_english(card, clinic_user, facility):
    from tests.accounts.helpers import make_person

    client = logged_in(clinic_user)
    client.cookies["django_language"] = "en"
    scanned = text(client.post(URL, {"cach": "quet", "ma_qr": CHIP}))
    assert ("(citizen identity card number, full name and date of birth read from the citizen identity card's "
            "QR code)") in scanned.replace("&#x27;", "'")
    make_person("7908888888", "Trần Văn Nam", birth=datetime.date(1970, 1, 2), id_number="079088012345")
    typed = text(client.post(URL, {"cach": "nhap", "so_the": "079088012345", "ho_ten": "Lê Văn Sai",
                                   "ngay_sinh": "01/01/1990"}))
    assert "The card cannot be identified by this citizen identity card number" in typed
    assert "This citizen identity card number is on the records of more than one insured person" in typed
    assert "CCCD number" not in scanned + typed
    unreadable = text(client.post(URL, {"cach": "quet", "ma_qr": CHIP.replace("15031988", "15/03/1988")}))
    assert "This is the QR code of a citizen ID card, not of a health insurance card" in unreadable
    assert "CCCD" not in unreadable  # the card itself prints no such abbreviation
