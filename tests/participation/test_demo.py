"""Demo participation histories end the month the person reaches retirement age, and the BHYT a
household or the state budget pays is on the base salary of its months."""

import datetime
from decimal import Decimal

import pytest

from accounts.demo import seed_children, seed_persons
from accounts.models import Person
from participation import demo
from participation.demo import retirement_month
from participation.models import Period
from vssid_portal.money import base_salary_on

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.mark.parametrize("birth, sex, month", [
    (datetime.date(1960, 5, 1), 1, datetime.date(2020, 5, 1)),  # 60 before 2021
    (datetime.date(1962, 3, 1), 1, datetime.date(2022, 9, 1)),  # 60 years 6 months in 2022
    (datetime.date(1966, 12, 1), 1, datetime.date(2028, 12, 1)),  # 62 from 2028
    (datetime.date(1966, 1, 1), 2, datetime.date(2021, 5, 1)),  # 55 years 4 months in 2021
])
def test_retirement_age_follows_the_roadmap(birth, sex, month):
    assert retirement_month(birth, sex) == month


def test_a_working_life_ends_at_retirement_age(db):
    persons, _ = seed_persons(count=120, seed=2026)
    demo.seed(persons=persons, seed=2026)
    retired = 0
    for person in persons:
        last = Period.objects.filter(person=person).order_by("-to_month").values_list("to_month", flat=True).first()
        if last is None:
            continue
        stop = retirement_month(person.birth_date, person.sex)
        assert last <= stop
        retired += stop < demo.TODAY
    assert retired >= 3


def test_the_bhyt_a_household_or_the_state_pays_is_on_the_base_salary_of_its_months(db):
    """The household BHYT of a voluntary stretch and a young child's BHYT are 4.5 % of the base salary
    (mức lương cơ sở) of their months, not of the person's voluntary income, one period for each base
    salary they cross."""
    persons, _ = seed_persons(count=120, seed=2026)
    children, _ = seed_children()  # one born 04/2023, under six
    demo.seed(persons=[*persons, *children], seed=2026)
    bhyt = Period.objects.filter(kind=Period.Kind.BHYT, payer__in=[Period.Payer.HOUSEHOLD, Period.Payer.STATE])
    assert bhyt.filter(payer=Period.Payer.HOUSEHOLD).exists() and bhyt.filter(payer=Period.Payer.STATE).exists()
    for period in bhyt:
        assert period.base == base_salary_on(period.from_month) == base_salary_on(period.to_month), period
        assert (period.rate, period.amount) == (Decimal("4.5"), period.base * 45 // 1000), period
    child = Period.objects.filter(person__bhxh_code="7901234581").order_by("from_month")
    assert [(p.from_month, p.base) for p in child] == [
        (datetime.date(2023, 4, 1), 1_490_000), (datetime.date(2023, 7, 1), 1_800_000),
        (datetime.date(2024, 7, 1), 2_340_000)]


def test_a_household_bhyt_across_two_raises_of_the_base_salary_is_three_periods():
    person = Person(bhxh_code="7901234567")
    periods = demo._on_base_salary(person, datetime.date(2023, 1, 1), datetime.date(2024, 12, 1),
                                   payer=Period.Payer.HOUSEHOLD, agency=None, facility=None)
    assert [(p.from_month, p.to_month, p.base, p.amount) for p in periods] == [
        (datetime.date(2023, 1, 1), datetime.date(2023, 6, 1), 1_490_000, 67_050),
        (datetime.date(2023, 7, 1), datetime.date(2024, 6, 1), 1_800_000, 81_000),
        (datetime.date(2024, 7, 1), datetime.date(2024, 12, 1), 2_340_000, 105_300),
    ]
