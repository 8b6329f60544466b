"""The one-time BHXH estimator against the law's worked example and hand-worked cases.

Pure functions: no database. Every figure below is worked by hand in the comment above it.
"""

import datetime
from decimal import Decimal

import pytest

from benefits.estimator import Coefficients, Contribution, estimate_one_time, round_odd_months

ONES = Coefficients({"bhxh_bb": {year: Decimal(1) for year in range(1990, 2031)},
                     "bhxh_tn": {year: Decimal(1) for year in range(2008, 2031)}})


def month(year, number):
    return datetime.date(year, number, 1)


def span(first, last, base, scheme="bhxh_bb", unpaid=0):
    return Contribution(month(*first), month(*last), base, scheme, unpaid)


def test_worked_example_of_the_law():
    # TT 59/2015: 12 months before 2014 + 25 months after, average 1,774,052 đ
    # → 1.5 × 1 + 2 × 2.5 = 6.5 months → 11,531,338 đ
    result = estimate_one_time([span((2013, 1), (2013, 12), 1_774_052), span((2014, 1), (2016, 1), 1_774_052)], ONES)
    assert (result.months_before, result.months_from, result.months_total) == (12, 25, 37)
    assert (result.years_before, result.leftover_months, result.months_from_counted) == (1, 0, 25)
    assert (result.whole_years_from, result.odd_months, result.odd_months_as_years) == (2, 1, Decimal("0.5"))
    assert result.years_from == Decimal("2.5")
    assert result.average_salary == 1_774_052
    assert result.salary_months == Decimal("6.5")
    assert result.amount == 11_531_338
    assert not result.under_one_year and result.missing_coefficients == []


@pytest.mark.parametrize(
    ("months", "expected"),
    [(0, (0, 0, 0)), (1, (0, 1, Decimal("0.5"))), (6, (0, 6, Decimal("0.5"))), (7, (0, 7, 1)), (11, (0, 11, 1)),
     (12, (1, 0, 0)), (30, (2, 6, Decimal("0.5"))), (31, (2, 7, 1))],
)
def test_odd_months_rule(months, expected):
    # art. 5.6: 1–6 odd months = half a year, 7–11 = a whole year
    assert round_odd_months(months) == expected


def test_six_odd_months_count_half_a_year_seven_a_whole_year():
    # 2 years 6 months from 2014 at 4,000,000 → 2.5 years × 2 = 5 months → 20,000,000
    six = estimate_one_time([span((2020, 1), (2022, 6), 4_000_000)], ONES)
    assert (six.odd_months, six.years_from, six.salary_months, six.amount) == (6, Decimal("2.5"), 5, 20_000_000)
    # 2 years 7 months → 3 years × 2 = 6 months → 24,000,000
    seven = estimate_one_time([span((2020, 1), (2022, 7), 4_000_000)], ONES)
    assert (seven.odd_months, seven.years_from, seven.salary_months, seven.amount) == (7, 3, 6, 24_000_000)


def test_under_one_year_pays_22_percent_of_the_wages():
    # 9 months at 5,000,000: 22 % × 45,000,000 = 9,900,000, below the cap 2 × 5,000,000
    result = estimate_one_time([span((2024, 1), (2024, 9), 5_000_000)], ONES)
    assert result.under_one_year and result.months_total == 9
    assert (result.contributed_22, result.cap, result.amount) == (9_900_000, 10_000_000, 9_900_000)
    assert not result.capped


def test_under_one_year_is_capped_at_two_months_of_average_salary():
    # 11 months at 5,000,000: 22 % × 55,000,000 = 12,100,000 > 2 × 5,000,000 → 10,000,000
    result = estimate_one_time([span((2024, 1), (2024, 11), 5_000_000)], ONES)
    assert (result.contributed_22, result.cap, result.amount) == (12_100_000, 10_000_000, 10_000_000)
    assert result.capped


def test_under_one_year_counts_months_before_and_after_2014_together():
    # 5 months in 2013 + 5 in 2014 = 10 months < 1 year: 22 % × 10 × 3,000,000 = 6,600,000 (cap 6,000,000)
    result = estimate_one_time([span((2013, 8), (2014, 5), 3_000_000)], ONES)
    assert result.under_one_year and (result.months_before, result.months_from) == (5, 5)
    assert result.amount == 6_000_000


def test_exactly_one_year_is_no_longer_under_one_year():
    # 12 months from 2014 at 5,000,000 → 1 year × 2 = 2 months → 10,000,000
    result = estimate_one_time([span((2024, 1), (2024, 12), 5_000_000)], ONES)
    assert not result.under_one_year and result.amount == 10_000_000


def test_only_before_2014_whole_years():
    # 3 years before 2014 at 3,000,000 → 1.5 × 3 = 4.5 months → 13,500,000
    result = estimate_one_time([span((2008, 1), (2010, 12), 3_000_000)], ONES)
    assert (result.years_before, result.leftover_months, result.years_from) == (3, 0, 0)
    assert result.amount == 13_500_000


def test_only_before_2014_leftover_months_move_into_the_2014_period():
    # 3 years 5 months, all before 2014: 3 years × 1.5 = 4.5; the 5 leftover months move to the
    # from-2014 period, where 5 odd months are half a year × 2 = 1 → 5.5 months × 3,000,000
    result = estimate_one_time([span((2008, 1), (2011, 5), 3_000_000)], ONES)
    assert (result.months_before, result.months_from) == (41, 0)
    assert (result.years_before, result.leftover_months, result.months_from_counted) == (3, 5, 5)
    assert result.years_from == Decimal("0.5")
    assert result.salary_months == Decimal("5.5")
    assert result.amount == 16_500_000


def test_leftover_months_before_2014_change_the_rounding_after_2014():
    # 1 year 8 months before 2014 + 2 years 6 months after:
    # before: 1 year (1.5 months), 8 months move; after: 30 + 8 = 38 months = 3 years 2 months
    # → 3.5 years (7 months). Total 8.5 months × 2,000,000 = 17,000,000.
    # (Rounding each period on its own would give 2 × 1.5 + 2.5 × 2 = 8 months.)
    result = estimate_one_time([span((2012, 5), (2013, 12), 2_000_000), span((2014, 1), (2016, 6), 2_000_000)], ONES)
    assert (result.years_before, result.leftover_months, result.months_from_counted) == (1, 8, 38)
    assert (result.whole_years_from, result.odd_months, result.years_from) == (3, 2, Decimal("3.5"))
    assert result.salary_months == Decimal("8.5")
    assert result.amount == 17_000_000


def test_average_salary_uses_the_yearly_adjustment_coefficients():
    # 12 months of 2013 at 2,000,000 × 1.5 = 36,000,000; 12 months of 2024 at 4,000,000 × 1.0 = 48,000,000
    # average 84,000,000 / 24 = 3,500,000; 1.5 × 1 + 2 × 1 = 3.5 months → 12,250,000
    table = Coefficients({"bhxh_bb": {2013: Decimal("1.5"), 2024: Decimal("1.0")}})
    result = estimate_one_time([span((2013, 1), (2013, 12), 2_000_000), span((2024, 1), (2024, 12), 4_000_000)], table)
    assert [(row.year, row.months, row.coefficient) for row in result.rows] == [(2013, 12, Decimal("1.5")), (2024, 12, 1)]
    assert result.adjusted_total == 84_000_000
    assert result.average_salary == 3_500_000
    assert result.amount == 12_250_000


def test_voluntary_income_uses_its_own_coefficients():
    table = Coefficients({"bhxh_bb": {2020: Decimal("1.2")}, "bhxh_tn": {2020: Decimal("1.1")}})
    result = estimate_one_time([span((2020, 1), (2020, 6), 1_000_000, "bhxh_tn"),
                                span((2020, 7), (2020, 12), 1_000_000)], table)
    assert {row.scheme: row.coefficient for row in result.rows} == {"bhxh_tn": Decimal("1.1"), "bhxh_bb": Decimal("1.2")}
    assert result.average_salary == 1_150_000  # (6 × 1.1 + 6 × 1.2) × 1,000,000 / 12


def test_years_before_the_table_take_its_first_row_and_missing_years_are_flagged():
    table = Coefficients({"bhxh_bb": {1994: Decimal("5.63"), 2010: Decimal("1.92")}}, current_year=2026)
    result = estimate_one_time([span((1990, 1), (1990, 12), 100_000), span((2011, 1), (2011, 12), 1_000_000),
                                span((2026, 1), (2026, 12), 1_000_000)], table)
    rows = {row.year: row for row in result.rows}
    assert rows[1990].coefficient == Decimal("5.63") and "1994" in rows[1990].coefficient_note
    assert rows[2011].coefficient == 1 and result.missing_coefficients == [("bhxh_bb", 2011)]
    assert rows[2026].coefficient == 1 and rows[2026].coefficient_note == "năm hiện tại"


def test_a_month_counts_once_and_owed_months_do_not_count():
    # Two employers in 2020 (overlap counted once, bases added); the last 2 months of the second
    # period are still owed by the employer.
    result = estimate_one_time([span((2020, 1), (2020, 12), 3_000_000), span((2020, 7), (2021, 12), 2_000_000, unpaid=2)],
                               ONES)
    assert result.months_total == 22  # 01/2020–10/2021
    assert result.owed_months == 2
    # 6 × 3,000,000 + 6 × 5,000,000 + 10 × 2,000,000 = 68,000,000 over 22 months
    assert result.adjusted_total == 68_000_000
    assert result.average_salary == 3_090_909


def test_other_insurance_kinds_are_ignored_and_no_history_gives_nothing():
    result = estimate_one_time([span((2020, 1), (2020, 12), 3_000_000, scheme="bhtn")], ONES)
    assert not result.has_history and result.amount == 0 and result.rows == []


@pytest.mark.parametrize(("months", "eligible", "needed", "needed_old"),
                         [(179, False, 1, 61), (180, True, 0, 60), (240, True, 0, 0)])
def test_contribution_years_towards_a_pension(months, eligible, needed, needed_old):
    # Law 41/2024 art. 64: 15 years; Law 58/2014: 20 years
    first = month(2000, 1)
    last = datetime.date(2000 + (months - 1) // 12, (months - 1) % 12 + 1, 1)
    result = estimate_one_time([Contribution(first, last, 5_000_000)], ONES)
    assert result.months_total == months
    assert (result.pension_eligible, result.pension_months_needed, result.pension_months_needed_old_law) == (
        eligible, needed, needed_old)


def test_a_missing_year_is_flagged_whatever_the_language():
    from django.utils import translation

    table = Coefficients({"bhxh_bb": {2010: Decimal("1.92")}}, current_year=2026)
    with translation.override("en"):
        result = estimate_one_time([span((2011, 1), (2011, 12), 1_000_000)], table)
    assert result.missing_coefficients == [("bhxh_bb", 2011)]
    assert result.rows[0].coefficient_note == "not in the table: counted as 1.00"


def test_the_average_salary_is_rounded_half_up_to_the_dong():
    # 2 months, 1,000,000 and 1,000,001: average 2,000,001 / 2 = 1,000,000.5 → 1,000,001 (half up, not cut);
    # under one year: the cap is 2 × that rounded average, 2,000,002
    result = estimate_one_time([span((2024, 1), (2024, 1), 1_000_000), span((2024, 2), (2024, 2), 1_000_001)], ONES)
    assert result.adjusted_total == 2_000_001
    assert result.average_salary == 1_000_001
    assert result.cap == 2_000_002


def test_a_period_running_past_a_settlement_contributes_only_its_months_after_it():
    # settled through 06/2021: a period 01/2020–12/2022 counts 07/2021–12/2022 only, 18 months, toward a new estimate
    from types import SimpleNamespace

    from benefits.selectors import contributions_of

    straddling = SimpleNamespace(from_month=month(2020, 1), to_month=month(2022, 12), base=5_000_000, kind="bhxh_bb",
                                 unpaid_months=0)
    [contribution] = contributions_of([straddling], after=month(2021, 6))
    assert (contribution.first, contribution.last) == (month(2021, 7), month(2022, 12))
    assert estimate_one_time([contribution], ONES).months_total == 18
