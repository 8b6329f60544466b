"""Demo participation histories end the month the person reaches retirement age."""

import datetime

import pytest

from accounts.demo import seed_persons
from participation import demo
from participation.demo import retirement_month
from participation.models import Period

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
