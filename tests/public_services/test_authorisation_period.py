"""An authorisation lasts at most 12 months: from 01/12/2026 the last day it may run to is
30/11/2027, the day before the same date a year later; 01/12/2027 would be 12 months and a day."""

import datetime

import pytest

from public_services.procedures.authorisation import last_day


@pytest.mark.parametrize(("start", "last"), [
    (datetime.date(2026, 12, 1), datetime.date(2027, 11, 30)),
    (datetime.date(2027, 1, 31), datetime.date(2028, 1, 30)),
    (datetime.date(2027, 3, 1), datetime.date(2028, 2, 29)),  # the leap day is inside the year
    (datetime.date(2028, 2, 29), datetime.date(2029, 2, 28)),  # no 29/02/2029: February ends the year
])
def test_twelve_months_end_the_day_before_the_same_date_a_year_later(start, last):
    assert last_day(start) == last
