"""A card that is not valid today (expired, revoked, replaced, still to begin) reads as what it is
wherever it shows: the card page's opening line promises no QR, and a card that has ended without
a recorded end date never reads "không thời hạn"."""

import datetime
import re

import pytest
from django.utils import timezone

from health_card.models import Card
from health_card.qr import Purpose
from health_card.services import card_qr

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import logged_in

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
QR_LEAD = "Thẻ BHYT điện tử có mã QR, dùng thay thẻ giấy khi đi khám chữa bệnh."
PLAIN_LEAD = "Thông tin trên thẻ BHYT của bạn."


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_opening_line_of_a_valid_card_speaks_of_its_qr(holder, card):
    page = text(logged_in(holder).get("/the-bhyt/"))
    assert QR_LEAD in page and PLAIN_LEAD not in page


@pytest.mark.parametrize("change", [
    {"status": Card.Status.EXPIRED},
    {"status": Card.Status.REVOKED},
    {"valid_to": "yesterday"},
    {"valid_from": "tomorrow"},
])
def test_the_opening_line_of_a_card_without_a_qr_today_promises_none(holder, card, change):
    today = timezone.localdate()
    dates = {"yesterday": today - DAY, "tomorrow": today + DAY}
    Card.objects.filter(pk=card.pk).update(**{key: dates.get(value, value) for key, value in change.items()})
    page = text(logged_in(holder).get("/the-bhyt/"))
    assert 'href="/the-bhyt/ma-qr/"' not in page
    assert "mã QR, dùng thay thẻ giấy" not in page and PLAIN_LEAD in page


def test_the_opening_line_of_a_childs_card_without_a_qr_today_names_the_child(holder, facility):
    from accounts.models import Guardianship
    from tests.accounts.helpers import born_years_ago, cccd_for, make_person

    from .card_fixtures import issue

    born = born_years_ago(2)  # a minor whenever the tests run, whose parent may view the card
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=cccd_for(born))
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    child_card = issue(child, facility, group="TE", valid_from=born)
    Card.objects.filter(pk=child_card.pk).update(status=Card.Status.REVOKED)
    client = logged_in(holder)
    client.post("/ca-nhan/xem/", {"child": child.pk})
    page = text(client.get("/the-bhyt/"))
    assert "Thông tin trên thẻ BHYT của Nguyễn Gia Bảo." in page and "có mã QR, dùng thay thẻ giấy" not in page


@pytest.mark.parametrize("status, words", [
    (Card.Status.EXPIRED, "thẻ hết hạn"),
    (Card.Status.REVOKED, "thẻ đã thu hồi"),
    (Card.Status.REPLACED, "thẻ đã được thay bằng thẻ mới"),
])
def test_a_card_ended_without_an_end_date_does_not_read_without_time_limit(holder, card, clinic_user, status, words):
    assert card.valid_to is None
    payload = card_qr(card, purpose=Purpose.SCREEN)
    Card.objects.filter(pk=card.pk).update(status=status)
    page = text(logged_in(holder).get("/the-bhyt/"))
    assert "không thời hạn" not in page
    assert f"<dt>Giá trị sử dụng</dt><dd>từ 01/01/2024 – {words}</dd>" in page

    checked = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}))
    assert "không thời hạn" not in checked
    assert f"<dt>Giá trị sử dụng</dt><dd>từ 01/01/2024 – {words}</dd>" in checked


@pytest.mark.parametrize("language, past_end_date, no_end_date", [
    ("vi", "Thẻ đã qua ngày hết hạn", "Thẻ đã hết giá trị sử dụng nên không dùng được để khám chữa bệnh"),
    ("en", "The card is past its end date", "The card is no longer valid, so it cannot be used for medical treatment"),
])
def test_an_expired_card_without_an_end_date_is_not_said_to_be_past_it(holder, card, language, past_end_date,
                                                                       no_end_date):
    client = logged_in(holder)
    client.cookies["django_language"] = language
    Card.objects.filter(pk=card.pk).update(status=Card.Status.EXPIRED)
    page = text(client.get("/the-bhyt/"))
    assert no_end_date in page and past_end_date not in page
    Card.objects.filter(pk=card.pk).update(valid_to=timezone.localdate() + 30 * DAY)  # ended before its end date
    page = text(client.get("/the-bhyt/"))
    assert no_end_date in page and past_end_date not in page
    Card.objects.filter(pk=card.pk).update(valid_to=timezone.localdate() - DAY)
    page = text(client.get("/the-bhyt/"))
    assert past_end_date in page and no_end_date not in page


@pytest.mark.parametrize("language, past_end_date, no_end_date", [
    ("vi", "đã qua ngày hết hạn của thẻ", "Thẻ đã hết giá trị sử dụng."),
    ("en", "its expiry date has passed", "The card is no longer valid."),
])
def test_the_clinic_check_of_an_expired_card_without_an_end_date_does_not_say_it_is_past_it(
        card, clinic_user, facility, language, past_end_date, no_end_date):
    from django.test import Client

    from health_card.services import api_token_create

    payload = card_qr(card, purpose=Purpose.PRINT)
    _token, raw = api_token_create(facility=facility, name="HIS")
    clinic = logged_in(clinic_user)
    clinic.cookies["django_language"] = language

    def checked():
        page = text(clinic.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}))
        answer = Client().post("/api/xac-thuc/the-bhyt/", {"maQR": payload}, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {raw}").json()
        return page, answer

    Card.objects.filter(pk=card.pk).update(status=Card.Status.EXPIRED)
    page, answer = checked()
    assert f"<p>{no_end_date}</p>" in page and past_end_date not in page
    assert (answer["maKetQua"], answer["ketQua"], answer["hopLe"], answer["thongBao"]) == (
        "010", "expired", False, "Thẻ hết hạn")
    assert answer["ghiChu"] == "Thẻ đã hết giá trị sử dụng."  # the API answers in Vietnamese

    Card.objects.filter(pk=card.pk).update(valid_to=timezone.localdate() + 30 * DAY)  # ended before its end date
    page, answer = checked()
    assert f"<p>{no_end_date}</p>" in page and past_end_date not in page
    assert answer["ghiChu"] == "Thẻ đã hết giá trị sử dụng."

    Card.objects.filter(pk=card.pk).update(valid_to=timezone.localdate() - DAY)  # ended on its end date
    page, answer = checked()
    assert past_end_date in page and f"<p>{no_end_date}</p>" not in page
    assert answer["ghiChu"] == "Thẻ đã hết giá trị sử dụng: đã qua ngày hết hạn của thẻ."


def test_a_card_in_use_without_an_end_date_still_reads_without_time_limit(holder, card, clinic_user):
    page = text(logged_in(holder).get("/the-bhyt/"))
    assert "<dt>Giá trị sử dụng</dt><dd>từ 01/01/2024, không thời hạn</dd>" in page
    checked = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {
        "cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)}))
    assert "<dt>Giá trị sử dụng</dt><dd>từ 01/01/2024, không thời hạn</dd>" in checked


@pytest.mark.parametrize("status", [None, Card.Status.EXPIRED])
def test_a_stale_screen_qr_of_an_expired_card_is_answered_expired_not_to_be_opened_again(card, clinic_user, facility,
                                                                                          status):
    """A fresh QR would not help: the card page of an expired card has none to open."""
    import time

    from health_card.services import api_token_create

    payload = card_qr(card, purpose=Purpose.SCREEN, issued_at=int(time.time()) - 11 * 60)
    change = {"status": status} if status else {"valid_to": timezone.localdate() - DAY}
    Card.objects.filter(pk=card.pk).update(**change)
    page = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}))
    assert "Thẻ hết hạn" in page and "Thẻ đã hết giá trị sử dụng" in page
    assert "Mã QR đã hết hạn" not in page and "mở lại mã QR" not in page
    _token, raw = api_token_create(facility=facility, name="HIS")
    answer = logged_in(clinic_user).post("/api/xac-thuc/the-bhyt/", {"maQR": payload}, content_type="application/json",
                                         HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert answer["maKetQua"] == "010" and answer["ketQua"] == "expired" and "mở lại mã QR" not in answer["ghiChu"]


FIVE_YEARS = "Thời điểm đủ 5 năm liên tục"


@pytest.mark.parametrize("change", [
    {"status": Card.Status.EXPIRED},
    {"status": Card.Status.REVOKED},
    {"status": Card.Status.REPLACED},
    {"valid_to": "yesterday"},
])
def test_a_card_that_has_ended_shows_no_five_year_date(holder, card, change):
    today = timezone.localdate()
    dates = {"yesterday": today - DAY}
    Card.objects.filter(pk=card.pk).update(five_year_date=datetime.date(2029, 1, 1),
                                           **{key: dates.get(value, value) for key, value in change.items()})
    page = text(logged_in(holder).get("/the-bhyt/"))
    assert FIVE_YEARS not in page and "01/01/2029" not in page


@pytest.mark.parametrize("change", [{}, {"valid_from": "tomorrow"}])
def test_a_card_in_use_or_still_to_begin_shows_its_five_year_date(holder, card, change):
    dates = {"tomorrow": timezone.localdate() + DAY}
    Card.objects.filter(pk=card.pk).update(five_year_date=datetime.date(2029, 1, 1),
                                           **{key: dates.get(value, value) for key, value in change.items()})
    page = text(logged_in(holder).get("/the-bhyt/"))
    assert f"{FIVE_YEARS}</dt><dd>01/01/2029</dd>" in page


@pytest.mark.parametrize("status, code", [
    (Card.Status.EXPIRED, "010"), (Card.Status.REVOKED, "110"), (Card.Status.REPLACED, "003")])
def test_the_api_gives_a_card_ended_without_an_end_date_the_day_it_ended_as_its_end(card, facility, status, code):
    """gtTheDen null reads "no end date" to clinic software: an ended card's is the day it ended."""
    from django.test import Client

    from health_card.services import api_token_create

    payload = card_qr(card, purpose=Purpose.PRINT)
    _token, raw = api_token_create(facility=facility, name="HIS")
    ended = datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.timezone.utc)  # 03/03 06:30 in Vietnam
    Card.objects.filter(pk=card.pk).update(status=status, changed_at=ended)
    answer = Client().post("/api/xac-thuc/the-bhyt/", {"maQR": payload}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert (answer["maKetQua"], answer["hopLe"]) == (code, False)
    assert answer["gtTheTu"] == "01/01/2024" and answer["gtTheDen"] == "03/03/2026"  # the day in Vietnam


@pytest.mark.parametrize("status", [Card.Status.EXPIRED, Card.Status.REVOKED, Card.Status.REPLACED])
def test_the_clinic_page_gives_a_card_ended_without_an_end_date_the_day_it_ended(holder, card, clinic_user, status):
    """The API gives that day as gtTheDen; the clinic page said only "từ 01/01/2024 – thẻ …", leaving
    staff who type or scan the card without the day it stopped being valid."""
    payload = card_qr(card, purpose=Purpose.PRINT)
    ended = timezone.make_aware(datetime.datetime(2026, 3, 2, 23, 30))  # 02/03 in Vietnam, 16:30 UTC
    Card.objects.filter(pk=card.pk).update(status=status, changed_at=ended)
    checked = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}))
    # as an expired card with an end date reads
    assert "<dt>Giá trị sử dụng</dt><dd>từ 01/01/2024 đến 02/03/2026</dd>" in checked
    assert "không thời hạn" not in checked


@pytest.mark.parametrize("status", [Card.Status.EXPIRED, Card.Status.REVOKED, Card.Status.REPLACED])
def test_the_card_page_gives_a_card_ended_without_an_end_date_the_day_it_ended(holder, card, status):
    """The clinic page and the API give that day; the citizen's own card page said only
    "từ 01/01/2024 – thẻ …", leaving the holder without the day the card stopped being valid."""
    ended = timezone.make_aware(datetime.datetime(2026, 3, 2, 23, 30))  # 02/03 in Vietnam, 16:30 UTC
    Card.objects.filter(pk=card.pk).update(status=status, changed_at=ended)
    page = text(logged_in(holder).get("/the-bhyt/"))
    # as an expired card with an end date reads
    assert "<dt>Giá trị sử dụng</dt><dd>từ 01/01/2024 đến 02/03/2026</dd>" in page
    assert "không thời hạn" not in page


@pytest.mark.parametrize("status", [Card.Status.REVOKED, Card.Status.REPLACED])
def test_a_card_ended_before_its_first_day_reads_as_ended_not_as_a_range_running_backwards(
        holder, card, clinic_user, status):
    """A card without an end date revoked or replaced before the day it was to start was never
    valid: the clinic page and the card page say what became of it, not "từ 01/01/2024 đến 30/12/2023"."""
    payload = card_qr(card, purpose=Purpose.PRINT)
    ended = timezone.make_aware(datetime.datetime(2023, 12, 30, 9, 0))
    Card.objects.filter(pk=card.pk).update(status=status, changed_at=ended)
    said = f"<dt>Giá trị sử dụng</dt><dd>từ 01/01/2024 – thẻ {Card.Status(status).label.lower()}</dd>"
    checked = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}))
    assert said in checked and "30/12/2023" not in checked
    page = text(logged_in(holder).get("/the-bhyt/"))
    assert said in page and "30/12/2023" not in page


@pytest.mark.parametrize("status, code", [(Card.Status.REVOKED, "110"), (Card.Status.REPLACED, "003")])
def test_the_api_gives_a_card_ended_before_its_first_day_no_end_before_its_start(card, facility, status, code):
    """A card without an end date revoked or replaced before the day it was to start was never
    valid: the API gives its first day and no end, as the clinic page reads "từ 01/01/2024 – thẻ …",
    and says what became of it, never gtTheTu 01/01/2024 with gtTheDen 30/12/2023."""
    from django.test import Client

    from health_card.services import api_token_create

    payload = card_qr(card, purpose=Purpose.PRINT)
    _token, raw = api_token_create(facility=facility, name="HIS")
    ended = timezone.make_aware(datetime.datetime(2023, 12, 30, 9, 0))
    Card.objects.filter(pk=card.pk).update(status=status, changed_at=ended)
    answer = Client().post("/api/xac-thuc/the-bhyt/", {"maQR": payload}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert (answer["maKetQua"], answer["hopLe"]) == (code, False)
    assert answer["gtTheTu"] == "01/01/2024" and answer["gtTheDen"] is None


EARLY_END = datetime.date(2029, 9, 30)  # a printed end date still to come whenever the tests run


def _ended_early(card, status):
    """The card, printed to end on EARLY_END, ended at 06:30 on 03/03/2026 in Vietnam (still 02/03 in
    UTC): expired by card_expire (a corrected birth date ending a child's card), or revoked or replaced."""
    from health_card.services import card_expire
    from tests.clock import at, in_vietnam

    Card.objects.filter(pk=card.pk).update(valid_to=EARLY_END)
    card.refresh_from_db()
    payload = card_qr(card, purpose=Purpose.PRINT)
    ended = in_vietnam(2026, 3, 3, 6, 30)
    if status == Card.Status.EXPIRED:
        with at(ended):
            card_expire(card=card)
    else:
        Card.objects.filter(pk=card.pk).update(status=status, changed_at=ended)
    return payload


@pytest.mark.parametrize("status, code", [
    (Card.Status.EXPIRED, "010"), (Card.Status.REVOKED, "110"), (Card.Status.REPLACED, "003")])
def test_the_api_gives_a_card_ended_before_its_end_date_the_day_it_ended_not_a_day_to_come(
        card, facility, status, code):
    """An expired (revoked, replaced) card answered hopLe false with gtTheDen its printed end, years
    away: its end is the day, in Vietnam, it was so marked."""
    from django.test import Client

    from health_card.services import api_token_create

    _token, raw = api_token_create(facility=facility, name="HIS")
    payload = _ended_early(card, status)
    answer = Client().post("/api/xac-thuc/the-bhyt/", {"maQR": payload}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert (answer["maKetQua"], answer["hopLe"]) == (code, False)
    assert answer["gtTheTu"] == "01/01/2024" and answer["gtTheDen"] == "03/03/2026"


@pytest.mark.parametrize("status", [Card.Status.EXPIRED, Card.Status.REVOKED, Card.Status.REPLACED])
def test_the_clinic_page_and_the_card_page_give_a_card_ended_before_its_end_date_the_day_it_ended(
        holder, card, clinic_user, status):
    """"Thẻ hết hạn" stood beside "từ 01/01/2024 đến 30/09/2029": the range ends the day it ended."""
    payload = _ended_early(card, status)
    said = "<dt>Giá trị sử dụng</dt><dd>từ 01/01/2024 đến 03/03/2026</dd>"
    checked = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}))
    assert said in checked and "30/09/2029" not in checked
    page = text(logged_in(holder).get("/the-bhyt/"))
    assert said in page and "30/09/2029" not in page


def test_a_card_with_an_end_date_ended_before_its_first_day_reads_as_ended_not_to_its_end_date(
        holder, card, clinic_user, facility):
    """Revoked before its first day, a card with an end date was never valid, as one without: neither
    the page nor the API gives it the end date it never reached."""
    from django.test import Client

    from health_card.services import api_token_create

    _token, raw = api_token_create(facility=facility, name="HIS")
    Card.objects.filter(pk=card.pk).update(valid_to=EARLY_END)
    card.refresh_from_db()
    payload = card_qr(card, purpose=Purpose.PRINT)
    Card.objects.filter(pk=card.pk).update(status=Card.Status.REVOKED,
                                           changed_at=timezone.make_aware(datetime.datetime(2023, 12, 30, 9, 0)))
    checked = text(logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}))
    assert "<dt>Giá trị sử dụng</dt><dd>từ 01/01/2024 – thẻ đã thu hồi</dd>" in checked
    assert "30/09/2029" not in checked
    answer = Client().post("/api/xac-thuc/the-bhyt/", {"maQR": payload}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert answer["gtTheTu"] == "01/01/2024" and answer["gtTheDen"] is None
