"""Date arithmetic the apps share, one copy each: months as consecutive numbers, so a stretch of months
is counted, ranged over and compared as integers, and a person's age on a day."""

import datetime


def month_ordinal(month: datetime.date) -> int:
    """The number of the month `month` falls in, counted from January of year 0: each month one more
    than the one before it, whatever its year."""
    return month.year * 12 + month.month - 1


def month_from_ordinal(ordinal: int) -> datetime.date:
    """The first day of the month numbered `ordinal` by month_ordinal."""
    return datetime.date(ordinal // 12, ordinal % 12 + 1, 1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    """The first day of the month `count` months after the one `month` falls in (before it when negative)."""
    return month_from_ordinal(month_ordinal(month) + count)


def age_on(birth: datetime.date, on: datetime.date) -> int:
    """The age in whole years on the day `on` of a person born on `birth`: one more from each birthday."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
