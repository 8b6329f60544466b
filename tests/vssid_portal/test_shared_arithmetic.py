"""The date and money arithmetic the apps share (vssid_portal.dates, vssid_portal.money)."""

import datetime
from decimal import Decimal

import pytest

from vssid_portal.dates import add_months, age_on, month_from_ordinal, month_ordinal
from vssid_portal.money import BASE_SALARY, base_salary_on, round_vnd


def test_consecutive_months_are_consecutive_numbers_across_a_year_end():
    assert month_ordinal(datetime.date(2025, 1, 31)) - month_ordinal(datetime.date(2024, 12, 1)) == 1
    assert month_from_ordinal(month_ordinal(datetime.date(2024, 12, 15)) + 2) == datetime.date(2025, 2, 1)


@pytest.mark.parametrize(("count", "month"), [(0, datetime.date(2024, 12, 1)), (2, datetime.date(2025, 2, 1)),
                                               (-12, datetime.date(2023, 12, 1)), (60, datetime.date(2029, 12, 1))])
def test_months_after_a_day_start_on_the_first_of_their_month(count, month):
    assert add_months(datetime.date(2024, 12, 31), count) == month


@pytest.mark.parametrize(("on", "age"), [(datetime.date(2030, 2, 27), 5), (datetime.date(2030, 2, 28), 5),
                                         (datetime.date(2030, 3, 1), 6), (datetime.date(2028, 2, 29), 4)])
def test_an_age_grows_on_the_birthday_and_a_29_february_birth_on_1_march_of_common_years(on, age):
    assert age_on(datetime.date(2024, 2, 29), on) == age


def test_an_amount_is_rounded_to_the_nearest_dong_half_up():
    assert [round_vnd(Decimal(text)) for text in ("1.5", "2.5", "2.49", "11531338.2")] == [2, 3, 2, 11531338]


def test_a_base_salary_applies_from_its_first_day_and_before_the_table_the_earliest_one_does():
    # Decree 73/2024: 2,340,000 đ from 01/07/2024; the day before, Decree 24/2023's 1,800,000 đ
    for (since, amount), (_, before) in zip(BASE_SALARY, BASE_SALARY[1:]):
        assert base_salary_on(since) == amount
        assert base_salary_on(since - datetime.timedelta(days=1)) == before
    first_since, earliest = BASE_SALARY[-1]
    assert base_salary_on(first_since - datetime.timedelta(days=1)) == earliest
