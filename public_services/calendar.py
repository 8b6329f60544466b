"""Working days for legal handling times: the due date of a filing.

Saturdays and Sundays are weekly rest days; public holidays (Labour Code 2019 art. 112) and the
days off given for them are not working days; a weekend day the government makes a working day
(ngày làm bù, when a weekday is swapped to join a holiday) is. The dates live in the `Holiday`
table, editable in the admin and seeded from HOLIDAYS below by a data migration. Each call makes
at most one query (the rows of the years it needs); a caller that counts for many filings at once
loads a `WorkingCalendar` once and asks it.

A year without rows in the table (beyond the last year entered) falls back to an estimate of its
statutory holidays, with a warning logged once per year: the eleven days of Labour Code 2019 art.
112.1, Tết and Giỗ Tổ Hùng Vương on the solar dates of the Vietnamese lunar calendar, and a holiday
on a Saturday or Sunday made up on the next working day (art. 111.3), as the `holidays` package
(python-holidays) computes them. It is an estimate, not the year's arrangement: the Prime Minister
chooses the 5 Tết days and the day next to 2/9 and may swap days (art. 112.3), which the estimate
cannot know (it takes the last day of the lunar year and mùng 1–4 as the Tết days, one on a Saturday
made up on the working day before them and one on a Sunday on the working day after, and the day
next to 2/9 before or after it by the weekday). Enter the year's rows in the admin when they are
announced: a year with rows counts its rows only, whatever the package says.
"""

import datetime
import functools
import logging
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from .models import Holiday

logger = logging.getLogger(__name__)

HOLIDAY, COMPENSATORY, WORKING_SATURDAY = "holiday", "compensatory", "working_saturday"
SATURDAY = 5  # date.weekday(): Monday is 0
WEEKDAY_NAMES = [pgettext_lazy("thứ trong tuần", "Thứ Hai"), pgettext_lazy("thứ trong tuần", "Thứ Ba"),
                 pgettext_lazy("thứ trong tuần", "Thứ Tư"), pgettext_lazy("thứ trong tuần", "Thứ Năm"),
                 pgettext_lazy("thứ trong tuần", "Thứ Sáu"), pgettext_lazy("thứ trong tuần", "Thứ Bảy"),
                 pgettext_lazy("thứ trong tuần", "Chủ nhật")]

# Statutory holidays on a fixed solar date (Labour Code 2019 art. 112.1 a, c, d, đ): kept in the
# estimate of a year the table does not cover even where the `holidays` package knows nothing of
# the year (its lunar calendar ends in 2100).
FIXED_DATE_HOLIDAYS = [
    (1, 1, "Tết Dương lịch"),
    (4, 30, "Ngày Chiến thắng (30/4)"),
    (5, 1, "Ngày Quốc tế Lao động (1/5)"),
    (9, 2, "Quốc khánh (2/9)"),
]


def _d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# The seed of the Holiday table: (date, name, kind). Labour Code 2019 art. 112.1: Tết Dương lịch
# 1 day (1/1); Tết Âm lịch 5 days; Ngày Chiến thắng 30/4; Ngày Quốc tế Lao động 1/5; Quốc khánh
# 2/9 and one adjacent day; Giỗ Tổ Hùng Vương 10/3 âm lịch. Art. 112.3: the Prime Minister fixes
# the 5 Tết days and the day next to 2/9 each year. Art. 111.3: a holiday on a weekly rest day is
# made up on the following working day(s). Lunar dates: Vietnamese lunar calendar (UTC+7).
# Rows follow the government's yearly arrangement for civil servants, which sets the offices'
# (and so the BHXH agencies') working days.
HOLIDAYS: list[tuple[datetime.date, str, str]] = [
    # ---- 2025 ----------------------------------------------------------------------------------
    (_d("2025-01-01"), "Tết Dương lịch", HOLIDAY),
    # Tết Ất Tỵ (mùng 1 = 29/01/2025): off Sat 25/01 – Sun 02/02/2025, i.e. the 5 Tết days
    # 27–31/01 between two weekends, no swapped day.
    (_d("2025-01-27"), "Tết Âm lịch (28 tháng Chạp năm Giáp Thìn)", HOLIDAY),
    (_d("2025-01-28"), "Tết Âm lịch (29 tháng Chạp năm Giáp Thìn, giao thừa)", HOLIDAY),
    (_d("2025-01-29"), "Tết Âm lịch (mùng 1 Tết Ất Tỵ)", HOLIDAY),
    (_d("2025-01-30"), "Tết Âm lịch (mùng 2 Tết Ất Tỵ)", HOLIDAY),
    (_d("2025-01-31"), "Tết Âm lịch (mùng 3 Tết Ất Tỵ)", HOLIDAY),
    (_d("2025-04-07"), "Giỗ Tổ Hùng Vương (10/3 năm Ất Tỵ)", HOLIDAY),
    # 30/4 – 1/5: off Wed 30/04 – Sun 04/05/2025; Fri 02/05 swapped with Sat 26/04.
    (_d("2025-04-26"), "Làm bù cho ngày nghỉ thứ Sáu 02/05/2025", WORKING_SATURDAY),
    (_d("2025-04-30"), "Ngày Chiến thắng (30/4)", HOLIDAY),
    (_d("2025-05-01"), "Ngày Quốc tế Lao động (1/5)", HOLIDAY),
    (_d("2025-05-02"), "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)", COMPENSATORY),
    # Quốc khánh: off Sat 30/08 – Tue 02/09/2025 (1/9 is the adjacent day).
    (_d("2025-09-01"), "Quốc khánh (ngày liền kề trước 2/9)", HOLIDAY),
    (_d("2025-09-02"), "Quốc khánh (2/9)", HOLIDAY),
    # ---- 2026 ----------------------------------------------------------------------------------
    # Tết Dương lịch: off Thu 01/01 – Sun 04/01/2026; Fri 02/01 swapped with Sat 10/01
    # (Văn phòng Chính phủ, công văn 12729/VPCP-KGVX of 25/12/2025).
    (_d("2026-01-01"), "Tết Dương lịch", HOLIDAY),
    (_d("2026-01-02"), "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)", COMPENSATORY),
    (_d("2026-01-10"), "Làm bù cho ngày nghỉ thứ Sáu 02/01/2026", WORKING_SATURDAY),
    # Tết Bính Ngọ (mùng 1 = 17/02/2026): off Sat 14/02 – Sun 22/02/2026, the 5 Tết days being
    # Mon 16/02 (29 tháng Chạp) – Fri 20/02 (mùng 4).
    (_d("2026-02-16"), "Tết Âm lịch (29 tháng Chạp năm Ất Tỵ, giao thừa)", HOLIDAY),
    (_d("2026-02-17"), "Tết Âm lịch (mùng 1 Tết Bính Ngọ)", HOLIDAY),
    (_d("2026-02-18"), "Tết Âm lịch (mùng 2 Tết Bính Ngọ)", HOLIDAY),
    (_d("2026-02-19"), "Tết Âm lịch (mùng 3 Tết Bính Ngọ)", HOLIDAY),
    (_d("2026-02-20"), "Tết Âm lịch (mùng 4 Tết Bính Ngọ)", HOLIDAY),
    # Giỗ Tổ falls on Sunday 26/04/2026: made up on Monday 27/04 (art. 111.3).
    (_d("2026-04-26"), "Giỗ Tổ Hùng Vương (10/3 năm Bính Ngọ)", HOLIDAY),
    (_d("2026-04-27"), "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/04)", COMPENSATORY),
    (_d("2026-04-30"), "Ngày Chiến thắng (30/4)", HOLIDAY),
    (_d("2026-05-01"), "Ngày Quốc tế Lao động (1/5)", HOLIDAY),
    # Quốc khánh: 1/9 is the adjacent day; Mon 31/08 swapped with Sat 22/08, so off
    # Sat 29/08 – Wed 02/09/2026 (the Prime Minister's decision of October 2025).
    (_d("2026-08-22"), "Làm bù cho ngày nghỉ thứ Hai 31/08/2026", WORKING_SATURDAY),
    (_d("2026-08-31"), "Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)", COMPENSATORY),
    (_d("2026-09-01"), "Quốc khánh (ngày liền kề trước 2/9)", HOLIDAY),
    (_d("2026-09-02"), "Quốc khánh (2/9)", HOLIDAY),
    # ---- 2027 ----------------------------------------------------------------------------------
    # No arrangement announced yet: the statutory days only, weekend ones made up on the
    # following working days (art. 111.3). The placement of the 5 Tết days (here the last day
    # of the year + mùng 1–4) and the day next to 2/9 (here 3/9) are assumptions: correct
    # them in the admin when the Prime Minister decides.
    (_d("2027-01-01"), "Tết Dương lịch", HOLIDAY),
    (_d("2027-02-05"), "Tết Âm lịch (29 tháng Chạp năm Bính Ngọ, giao thừa)", HOLIDAY),
    (_d("2027-02-06"), "Tết Âm lịch (mùng 1 Tết Đinh Mùi)", HOLIDAY),
    (_d("2027-02-07"), "Tết Âm lịch (mùng 2 Tết Đinh Mùi)", HOLIDAY),
    (_d("2027-02-08"), "Tết Âm lịch (mùng 3 Tết Đinh Mùi)", HOLIDAY),
    (_d("2027-02-09"), "Tết Âm lịch (mùng 4 Tết Đinh Mùi)", HOLIDAY),
    (_d("2027-02-10"), "Nghỉ bù Tết Âm lịch (mùng 1 trùng thứ Bảy)", COMPENSATORY),
    (_d("2027-02-11"), "Nghỉ bù Tết Âm lịch (mùng 2 trùng Chủ nhật)", COMPENSATORY),
    (_d("2027-04-16"), "Giỗ Tổ Hùng Vương (10/3 năm Đinh Mùi)", HOLIDAY),
    (_d("2027-04-30"), "Ngày Chiến thắng (30/4)", HOLIDAY),
    (_d("2027-05-01"), "Ngày Quốc tế Lao động (1/5)", HOLIDAY),
    (_d("2027-05-03"), "Nghỉ bù Ngày Quốc tế Lao động (trùng thứ Bảy 01/05)", COMPENSATORY),
    (_d("2027-09-02"), "Quốc khánh (2/9)", HOLIDAY),
    (_d("2027-09-03"), "Quốc khánh (ngày liền kề sau 2/9)", HOLIDAY),
]


def load(holiday_model) -> int:
    """Add the rows of HOLIDAYS whose date is not in `holiday_model`'s table yet (a row edited in the
    admin is kept); returns how many were added. The seed migration passes its historical model,
    written directly: it cannot use the services, and no filing has a due date yet to count again."""
    return len(add_missing(holiday_model, HOLIDAYS))


def add_missing(model, rows) -> list:
    """Add the (date, name, kind) `rows` whose date `model`'s table does not have; returns those added."""
    existing = set(model.objects.values_list("date", flat=True))
    added = [model(date=day, name=name, kind=kind) for day, name, kind in rows if day not in existing]
    model.objects.bulk_create(added)
    return added


# What the `holidays` package gives for Vietnam beyond art. 112.1 as the seeded years have it, by
# the package's English name: Ngày Văn hóa Việt Nam (24/11, from 2026 in the package), which the
# Politburo chose as a paid day off (Resolution 80-NQ/TW) and an amendment of art. 112.1 is to make
# statutory; the arrangements of 2026 and 2027 do not give it. Empty this when the amended Labour
# Code gives it.
NOT_IN_ARTICLE_112 = ("Vietnam Cultural Day",)


@functools.lru_cache(maxsize=32)
def estimated_days(year: int) -> tuple[frozenset[datetime.date], frozenset[datetime.date]]:
    """An estimate of `year`'s days off and of its weekend days worked in their place (these only
    where the package carries a swap the government announced), for a year without rows in the
    table: see the module's docstring. An estimate, not the year's arrangement. No query."""
    import holidays  # imported on first use: most calls ask about years the table covers

    found = holidays.country_holidays("VN", years=year, language="en_US")
    dropped = {day for name in NOT_IN_ARTICLE_112 for day in found.get_named(name, lookup="startswith")}
    days_off = {day for day in found if day.year == year and day not in dropped}
    days_off |= {datetime.date(year, month, day) for month, day, _name in FIXED_DATE_HOLIDAYS}
    worked = {day for day in found.weekend_workdays if day.year == year}
    return frozenset(days_off), frozenset(worked)


_warned_years: set[int] = set()


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


class WorkingCalendar:
    """The working days of whole years from `first` to `last` (None: every year from `first` on),
    read with one query. Asking about a day outside them is a programming error (ValueError)."""

    def __init__(self, rows: Iterable[tuple[datetime.date, str]], first_year: int, last_year: int | None):
        self.first_year, self.last_year = first_year, last_year
        self._days_off: set[datetime.date] = set()
        self._working_weekend_days: set[datetime.date] = set()
        self._covered_years: set[int] = set()
        self._estimates: dict[int, tuple[frozenset[datetime.date], frozenset[datetime.date]]] = {}
        for day, kind in rows:
            self._covered_years.add(day.year)
            if kind == WORKING_SATURDAY:
                self._working_weekend_days.add(day)
            else:
                self._days_off.add(day)

    @classmethod
    def load(cls, first: datetime.date, last: datetime.date | None = None) -> "WorkingCalendar":
        first = _as_date(first)
        rows = Holiday.objects.filter(date__gte=datetime.date(first.year, 1, 1))
        last_year = None
        if last is not None:
            last_year = max(_as_date(last).year, first.year)
            rows = rows.filter(date__lte=datetime.date(last_year, 12, 31))
        return cls(rows.values_list("date", "kind"), first.year, last_year)

    def _estimate(self, year: int) -> tuple[frozenset[datetime.date], frozenset[datetime.date]]:
        if year not in self._estimates:
            if year not in _warned_years:
                _warned_years.add(year)
                logger.warning(
                    "The holiday table has no row for %s: due dates of that year skip an estimate of its "
                    "statutory holidays (Labour Code 2019 art. 112, Tết and Giỗ Tổ Hùng Vương from the lunar "
                    "calendar, weekend holidays made up on the next working day), not the government's "
                    "arrangement for the year. Enter the year's holidays in the admin when they are announced.",
                    year,
                )
            self._estimates[year] = estimated_days(year)
        return self._estimates[year]

    def is_working_day(self, day: datetime.date) -> bool:
        day = _as_date(day)
        if day.year < self.first_year or (self.last_year is not None and day.year > self.last_year):
            raise ValueError(f"{day:%d/%m/%Y} is outside the loaded years {self.first_year}–{self.last_year}")
        if day.year not in self._covered_years:
            days_off, weekend_days_worked = self._estimate(day.year)
            return day in weekend_days_worked or (day.weekday() < SATURDAY and day not in days_off)
        if day in self._working_weekend_days:
            return True
        return day.weekday() < SATURDAY and day not in self._days_off

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The day on which `days` working days after `start` (not counting `start`) are over."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = _as_date(start)
        while days:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The due date `days` working days after `start`, `start` itself not counted (the handling
    time runs from the day after receipt). Zero days is `start` itself; no query then."""
    if days < 0:
        raise ValueError("days must not be negative")
    if days == 0:
        return _as_date(start)
    return WorkingCalendar.load(start).add_working_days(start, days)

