"""A card's day is Vietnam's: a card valid until 31/12 is valid at 23:30 that night and expired at 00:30
on 01/01, when the UTC date is still 31/12, on the holder's page, the clinic's verify page and the API
alike; a child's card names the parent until the child's sixth birthday begins in Vietnam; a check is
logged by its time in Vietnam."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Guardianship
from health_card import qr
from health_card.models import Card
from health_card.qr import Kind, Purpose
from health_card.selectors import card_state
from health_card.services import api_token_create, card_qr
from tests.accounts.helpers import cccd_for, make_person
from tests.clock import NEW_YEAR, YEAR_END, at, in_vietnam

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue, logged_in

pytestmark = pytest.mark.django_db

LAST_DAY = YEAR_END.date()  # 31/12/2026
QR_LINK = 'href="/the-bhyt/ma-qr/"'
GUARDIAN_LABEL = "Họ tên cha/mẹ/người giám hộ"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def ends_this_year(card):
    Card.objects.filter(pk=card.pk).update(valid_to=LAST_DAY)
    return Card.objects.get(pk=card.pk)


def checks(card, clinic_user, facility) -> tuple[str, str, dict]:
    """The clinic's verify page for the typed card and for its printed QR, and the API's answer for the QR."""
    clinic = logged_in(clinic_user)
    typed = text(clinic.post("/xac-thuc/the-bhyt/", {"cach": "nhap", "so_the": card.legacy_number,
                                                      "ho_ten": "Nguyễn Văn Đức", "ngay_sinh": "15/03/1988"}))
    payload = card_qr(card, purpose=Purpose.PRINT)
    scanned = text(clinic.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": payload}))
    _token, raw = api_token_create(facility=facility, name="HIS")
    answer = Client().post("/api/xac-thuc/the-bhyt/", {"maQR": payload}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    return typed, scanned, answer


def test_a_card_valid_until_31_12_is_valid_at_23_30_that_night(holder, ends_this_year, clinic_user, facility):
    with at(YEAR_END):
        assert timezone.localdate() == LAST_DAY
        assert card_state(ends_this_year) == Kind.VALID
        page = text(logged_in(holder).get("/the-bhyt/"))
        typed, scanned, answer = checks(ends_this_year, clinic_user, facility)
    assert QR_LINK in page and "Thẻ hết hạn" not in page
    assert "Thẻ hợp lệ" in typed and "Thẻ hết hạn" not in typed
    assert "Thẻ hợp lệ" in scanned and "Thẻ hết hạn" not in scanned
    assert (answer["ketQua"], answer["hopLe"]) == ("valid", True)


def test_a_card_valid_until_31_12_is_expired_at_00_30_on_01_01(holder, ends_this_year, clinic_user, facility):
    with at(NEW_YEAR):
        assert timezone.localdate() == LAST_DAY + datetime.timedelta(days=1)
        assert card_state(ends_this_year) == Kind.EXPIRED
        page = text(logged_in(holder).get("/the-bhyt/"))
        typed, scanned, answer = checks(ends_this_year, clinic_user, facility)
    assert QR_LINK not in page and "<strong>Thẻ hết hạn.</strong>" in page
    assert "Thẻ hết hạn" in typed and "Thẻ hợp lệ" not in typed
    assert "Thẻ hết hạn" in scanned and "Thẻ hợp lệ" not in scanned
    assert (answer["ketQua"], answer["hopLe"]) == ("expired", False)


def test_a_child_who_turns_six_at_midnight_is_no_longer_named_with_the_parent_at_00_30(holder, facility):
    born = datetime.date(2021, 1, 1)  # six on 01/01/2027
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=cccd_for(born))
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    child_card = issue(child, facility, group="TE", valid_from=born)

    def childs_card_page() -> str:
        client = logged_in(holder)
        client.post("/ca-nhan/xem/", {"child": child.pk})
        return text(client.get("/the-bhyt/"))

    with at(YEAR_END) as clock:
        assert f"<dt>{GUARDIAN_LABEL}</dt><dd>Nguyễn Văn Đức</dd>" in childs_card_page()
        assert qr.parse(card_qr(child_card, purpose=Purpose.PRINT)).fields.guardian == "Nguyễn Văn Đức"
        clock.move_to(NEW_YEAR)
        page = childs_card_page()
        assert "Nguyễn Gia Bảo" in page and GUARDIAN_LABEL not in page
        assert qr.parse(card_qr(child_card, purpose=Purpose.PRINT)).fields.guardian == ""


def test_a_check_at_00_30_is_listed_by_its_time_in_vietnam(holder, card, clinic_user):
    with at(NEW_YEAR):
        logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet",
                                                            "ma_qr": card_qr(card, purpose=Purpose.SCREEN)})
        log = text(logged_in(holder).get("/the-bhyt/ai-da-xem/"))
    assert "01/01/2027 00:30" in log and "31/12/2026" not in log


def test_the_qr_page_at_00_30_says_until_when_in_vietnams_time(holder, card):
    with at(NEW_YEAR):
        page = text(logged_in(holder).get("/the-bhyt/ma-qr/"))
    until = re.search(r"Mã QR đang hiện dùng được đến (\d\d):(\d\d)\.", page)
    assert until and until[1] == "00" and 30 < int(until[2]) <= 45  # a 5-minute window, then 10 minutes


def test_a_demo_card_of_the_year_made_at_00_30_on_01_01_runs_to_the_end_of_the_new_year(reference_data):
    from health_card import demo_cards
    from participation.models import Period
    from tests.participation.helpers import period

    person = make_person("7909999999", "Trần Thị Bình", birth=datetime.date(1990, 5, 2), id_number="079190012345")
    period(person, "01/2025", "12/2027", kind=Period.Kind.BHYT, payer=Period.Payer.HOUSEHOLD)
    with at(NEW_YEAR):
        demo_cards.seed(persons=[person], seed=1)
        demo_card = Card.objects.get(person=person)
        assert card_state(demo_card) == Kind.VALID
    assert (demo_card.group_id, demo_card.valid_to) == ("GD", datetime.date(NEW_YEAR.year, 12, 31))


def test_the_nightly_expiry_at_00_05_on_01_01_marks_the_card_that_ended_on_31_12(ends_this_year):
    """Beat runs it at 00:05 in Vietnam (settings: CELERY_TIMEZONE), while the UTC date is still 31/12."""
    from health_card.tasks import expire_cards

    with at(YEAR_END):
        expire_cards()
        assert Card.objects.get(pk=ends_this_year.pk).status == Card.Status.ACTIVE
    with at(in_vietnam(2027, 1, 1, 0, 5)):
        expire_cards()
    assert Card.objects.get(pk=ends_this_year.pk).status == Card.Status.EXPIRED


def test_a_token_made_at_00_30_on_01_01_works_to_the_end_of_that_day_a_year_on_in_vietnam(card, facility):
    with at(NEW_YEAR):
        _token, raw = api_token_create(facility=facility, name="HIS")

    def answered() -> int:
        return Client().post("/api/xac-thuc/the-bhyt/", {"maQR": card_qr(card, purpose=Purpose.SCREEN)},
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code

    with at(in_vietnam(2028, 1, 1, 23, 30)):
        assert answered() == 200
    with at(in_vietnam(2028, 1, 2, 0, 30)):  # 01/01/2028 17:30 in UTC
        assert answered() == 401
