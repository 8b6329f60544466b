"""The card's "thời điểm đủ 5 năm liên tục" (QR field 12, `ngayDu5Nam`): the start of the holder's
latest continuous BHYT participation plus five years, a break of up to three months keeping the
run (Nghị định 146/2018/NĐ-CP, Điều 12.5) — wherever a card is issued: card_issue, a reissue,
the officers' admin and the demo seed."""

import datetime

import pytest

from accounts.models import Person
from health_card import demo_cards
from health_card.models import Card
from health_card.selectors import five_year_date
from health_card.services import reissue_card
from lookup.models import Agency, MedicalFacility
from participation.models import Period
from tests.accounts.helpers import make_person, officer
from tests.participation.helpers import month, months_from_now, period

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue, logged_in

pytestmark = pytest.mark.django_db
D = datetime.date


def bhyt(person, start, end):
    p = period(person, start, end, kind=Period.Kind.BHYT)
    p.facility = MedicalFacility.objects.filter(province__code="79", bhyt_contract=True).order_by("code").first()
    p.save(update_fields=["facility"])
    return p


def test_a_break_of_three_months_keeps_the_run_and_a_longer_one_starts_it_afresh():
    kept = [(D(2015, 1, 1), D(2020, 12, 1)), (D(2021, 4, 1), D(2026, 10, 1))]  # 01–03/2021 uncovered
    assert five_year_date(kept) == D(2020, 1, 1)
    broken = [(D(2015, 1, 1), D(2020, 12, 1)), (D(2021, 5, 1), D(2026, 10, 1))]  # 01–04/2021
    assert five_year_date(broken) == D(2026, 5, 1)
    overlapping = [(D(2015, 1, 1), D(2020, 12, 1)), (D(2016, 3, 1), D(2018, 1, 1)), (D(2021, 2, 1), D(2022, 1, 1))]
    assert five_year_date(overlapping) == D(2020, 1, 1)  # the shorter overlapping period does not end the run
    assert five_year_date([(D(2024, 2, 29), D(2024, 2, 29))]) == D(2029, 2, 28)
    assert five_year_date([]) is None


def test_card_issue_takes_the_date_from_the_latest_run_of_bhyt_periods(reference_data, facility):
    person = make_person()
    bhyt(person, "01/2010", "03/2025")
    bhyt(person, "06/2026", "10/2026")  # 04/2025–05/2026 uncovered: the count starts again
    card = issue(person, facility, valid_from=D(2026, 6, 1))
    assert card.five_year_date == D(2031, 6, 1)


def test_a_first_card_after_a_long_break_starts_the_run_itself(reference_data, facility):
    person = make_person()
    bhyt(person, "01/2010", "12/2019")
    assert issue(person, facility, valid_from=D(2024, 1, 1)).five_year_date == D(2029, 1, 1)


def test_a_reissued_card_reads_the_date_again_from_the_periods(reference_data, holder, card):
    assert card.five_year_date == D(2029, 1, 1)  # no periods on record: the card starts the run
    bhyt(holder.person, "01/2018", "12/2023")  # recorded later: the card continues them
    assert reissue_card(holder.person, "Mất thẻ").five_year_date == D(2023, 1, 1)


def test_the_admin_fills_the_date_from_the_periods_instead_of_taking_it_typed(reference_data, facility):
    person = make_person("7901000011", "Phạm Văn Nam", id_number="079088000011")
    Person.objects.filter(pk=person.pk).update(agency=Agency.objects.get(code="07901"))
    bhyt(person, "01/2012", "12/2016")
    bhyt(person, "03/2017", "10/2026")
    client = logged_in(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    assert 'name="five_year_date"' not in client.get("/quan-tri/health_card/card/add/").content.decode()
    response = client.post("/quan-tri/health_card/card/add/", {
        "person": person.pk, "group": "DN", "facility": facility.pk, "agency": Agency.objects.get(code="07901").pk,
        "valid_from": "01/01/2026", "valid_to": "", "five_year_date": "01/01/2000", "living_area": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Card.objects.get(person=person).five_year_date == D(2017, 1, 1)


def test_the_demo_seed_counts_from_the_latest_run_not_the_first_bhyt_month(reference_data):
    broken = make_person("0427457872", "Trần Văn Bình", id_number="079088000001")
    bhyt(broken, "01/2010", months_from_now(-12))
    bhyt(broken, months_from_now(-7), months_from_now(0))  # 4 months uncovered
    kept = make_person("0427457873", "Lê Thị Mai", sex=2, id_number="079188000002")
    bhyt(kept, "01/2010", months_from_now(-12))
    bhyt(kept, months_from_now(-8), months_from_now(0))  # 3 months uncovered
    demo_cards.seed(persons=[broken, kept], seed=1)
    restarted = month(months_from_now(-7))
    assert Card.objects.get(person=broken).five_year_date == restarted.replace(year=restarted.year + 5)
    assert Card.objects.get(person=kept).five_year_date == D(2015, 1, 1)
