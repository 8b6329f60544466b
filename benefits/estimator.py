"""One-time BHXH estimate, computed the way the law computes it, every step kept for display.

Pure: plain values in, plain values out (the coefficient notes in the active language), no
database. The view feeds it the person's BHXH periods (compulsory and voluntary; the months a one-time
benefit already settled left out, see selectors.one_time_settlement_for) and the salary
adjustment table.

Rules (Law on Social Insurance 41/2024/QH15, in force 01/07/2025, as summarised in DESIGN.md):
- Art. 70.3: each year of contributions is worth 1.5 months of the average salary for the years
  before 2014 and 2 months for the years from 2014 on. Months before 2014 that do not make a
  whole year move into the from-2014 period (TT 59/2015 art. 19, kept by the 2024 law).
- Art. 5.6: odd months of the period that is rounded count 1–6 as half a year, 7–11 as a whole
  year.
- Under one year of contributions in total: the amount contributed — in practice 22 % (the
  employee's 8 % + employer's 14 % pension-survivor share) of the adjusted salary of each month —
  at most 2 months of the average salary.
- Art. 72 (compulsory) / art. 104 (voluntary): the average is the sum of each month's salary
  or income multiplied by its year's adjustment coefficient, over the number of months. The
  whole contribution period is used (the rule for salaries decided by the employer and for
  voluntary income); the "last N years" rule for the State salary scheme is not applied.
- Pension eligibility: Law 41/2024 art. 64 (compulsory) and art. 98 (voluntary) ask for at least
  15 years of contributions; the 2014 law asked for 20. Both thresholds are reported; the 15
  years of the law in force decide `pension_eligible`.

Choices the law leaves to practice, made here and shown to the user:
- A month covered by several periods counts once; its salary is the sum of the bases
  contributed for it. Months the employer still owes are not contributed and do not count.
- The average is rounded to the đồng before it is multiplied (as TT 59/2015's worked example
  does: 6.5 × 1,774,052 = 11,531,338); every amount is rounded half up to the đồng.
- Each row of adjusted salaries (a scheme's months of one base in one year) is an amount, rounded
  so; their total is the sum of the rows so rounded, and the average and the 22 % are worked out
  from it: the law's average is the sum of the adjusted salaries over the months, which sets no
  rounding between them, and so the Tổng shown is the sum of the rows shown and divides into the
  average shown (4.680.010 × 1,05 in two years: 2 × 4.914.011 = 9.828.022, not 9.828.021). A row
  differs from its unrounded amount by at most half a đồng.
- A year with no coefficient in the table counts 1.00 and is flagged; a year before the table's
  first year takes the first year's coefficient (the "before 1995" row); the current year's
  salaries are not adjusted (1.00).
- The state's support to voluntary contributions is not deducted (the periods do not hold it).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext, gettext_noop

from vssid_portal.dates import month_ordinal
from vssid_portal.money import round_vnd

CUTOFF_YEAR = 2014  # art. 70.3: 1.5 months a year before, 2 months a year from this year
MONTHS_PER_YEAR_BEFORE = Decimal("1.5")
MONTHS_PER_YEAR_FROM = Decimal("2")
UNDER_ONE_YEAR_SHARE = Decimal("0.22")  # 8 % employee + 14 % employer, pension-survivor fund
UNDER_ONE_YEAR_CAP_MONTHS = Decimal("2")
PENSION_YEARS = 15  # Law 41/2024 art. 64 and art. 98
PENSION_YEARS_OLD_LAW = 20  # Law 58/2014 art. 54 and art. 73
SCHEMES = ("bhxh_bb", "bhxh_tn")
MISSING = gettext_noop("không có trong bảng: tính 1,00")


@dataclass(frozen=True)
class Contribution:
    """A stretch of contributed months: `first` and `last` are the first day of their month."""

    first: datetime.date
    last: datetime.date
    base: int
    scheme: str = "bhxh_bb"
    unpaid_months: int = 0  # the period's last months still owed (by whoever pays them)


@dataclass(frozen=True)
class AdjustedRow:
    """The part of one contribution that falls in one calendar year."""

    scheme: str
    year: int
    months: int
    base: int
    coefficient: Decimal
    coefficient_note: str

    @property
    def adjusted(self) -> int:
        """The row's salaries after adjustment, rounded to the đồng: the amount shown, which the total
        and the average add up (see the module's choices)."""
        return round_vnd(self.base * self.coefficient * self.months)


@dataclass(frozen=True)
class Coefficients:
    """Adjustment coefficients per scheme and year (the admin-editable table)."""

    table: Mapping[str, Mapping[int, Decimal]] = field(default_factory=dict)
    current_year: int | None = None  # the year of the estimate: its salaries are not adjusted

    def lookup(self, scheme: str, year: int) -> tuple[Decimal, str]:
        rows = self.table.get(scheme) or {}
        if year in rows:
            return Decimal(rows[year]), ""
        if self.current_year is not None and year >= self.current_year:
            return Decimal(1), gettext("năm hiện tại")
        if rows and year < min(rows):
            first = min(rows)
            note = gettext("dùng mức của năm %(year)s (áp dụng cho các năm trước đó)") % {"year": first}
            return Decimal(rows[first]), note
        return Decimal(1), gettext(MISSING)


@dataclass
class OneTimeEstimate:
    rows: list[AdjustedRow] = field(default_factory=list)
    months_total: int = 0
    months_before: int = 0  # months contributed before 2014
    months_from: int = 0  # months contributed from 2014
    owed_months: int = 0  # months still owed: not counted
    years_before: int = 0  # whole years before 2014
    leftover_months: int = 0  # months before 2014 moved into the from-2014 period
    months_from_counted: int = 0  # months_from + leftover_months
    whole_years_from: int = 0
    odd_months: int = 0
    odd_months_as_years: Decimal = Decimal(0)  # 0, 0.5 or 1 (art. 5.6)
    years_from: Decimal = Decimal(0)  # after rounding
    adjusted_total: int = 0  # the sum of the rows' adjusted salaries, each rounded to the đồng
    average_salary: int = 0
    salary_months: Decimal = Decimal(0)  # 1.5 × years before + 2 × years from
    under_one_year: bool = False
    contributed_22: int = 0  # 22 % of the adjusted salaries (under one year)
    cap: int = 0  # 2 months of the average salary (under one year)
    amount: int = 0
    missing_coefficients: list[tuple[str, int]] = field(default_factory=list)

    @property
    def has_history(self) -> bool:
        return self.months_total > 0

    @property
    def salary_months_before(self) -> Decimal:
        return MONTHS_PER_YEAR_BEFORE * self.years_before

    @property
    def salary_months_from(self) -> Decimal:
        return MONTHS_PER_YEAR_FROM * self.years_from

    @property
    def capped(self) -> bool:
        return self.under_one_year and self.contributed_22 > self.cap

    # Pension eligibility
    @property
    def pension_months_needed(self) -> int:
        return max(PENSION_YEARS * 12 - self.months_total, 0)

    @property
    def pension_eligible(self) -> bool:
        return self.months_total >= PENSION_YEARS * 12

    @property
    def pension_months_needed_old_law(self) -> int:
        return max(PENSION_YEARS_OLD_LAW * 12 - self.months_total, 0)


def round_odd_months(months: int) -> tuple[int, int, Decimal]:
    """Art. 5.6: (whole years, odd months, odd months as years): 1–6 → 0.5, 7–11 → 1."""
    whole, odd = divmod(months, 12)
    if odd == 0:
        part = Decimal(0)
    elif odd <= 6:
        part = Decimal("0.5")
    else:
        part = Decimal(1)
    return whole, odd, part


def contributed_months(contributions: Iterable[Contribution]) -> dict[int, list[Contribution]]:
    """Each month actually contributed (as an ordinal) → the contributions covering it."""
    months: dict[int, list[Contribution]] = defaultdict(list)
    for item in contributions:
        start, end = month_ordinal(item.first), month_ordinal(item.last)
        for ordinal in range(start, end - item.unpaid_months + 1):
            months[ordinal].append(item)
    return months


def estimate_one_time(contributions: Iterable[Contribution], coefficients: Coefficients) -> OneTimeEstimate:
    contributions = [c for c in contributions if c.scheme in SCHEMES]
    estimate = OneTimeEstimate()
    all_months: set[int] = set()
    for item in contributions:
        all_months.update(range(month_ordinal(item.first), month_ordinal(item.last) + 1))
    months = contributed_months(contributions)
    estimate.owed_months = len(all_months - set(months))
    if not months:
        return estimate

    # Step 1: the salary of every month, adjusted, grouped by (scheme, year, base) for display.
    grouped: dict[tuple[str, int, int], int] = defaultdict(int)
    for ordinal, items in months.items():
        for item in items:
            grouped[(item.scheme, ordinal // 12, item.base)] += 1
    for (scheme, year, base), count in sorted(grouped.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2])):
        coefficient, note = coefficients.lookup(scheme, year)
        if note == gettext(MISSING):  # the note is in the active language
            estimate.missing_coefficients.append((scheme, year))
        estimate.rows.append(AdjustedRow(scheme, year, count, base, coefficient, note))
    estimate.adjusted_total = sum(row.adjusted for row in estimate.rows)

    # Step 2: months before and from 2014 (a month counts once, whatever covers it).
    estimate.months_total = len(months)
    estimate.months_before = sum(1 for ordinal in months if ordinal // 12 < CUTOFF_YEAR)
    estimate.months_from = estimate.months_total - estimate.months_before

    # Step 3: average salary (art. 72 / art. 104), rounded to the đồng.
    estimate.average_salary = round_vnd(Decimal(estimate.adjusted_total) / estimate.months_total)

    # Step 4: years after rounding; under one year the amount contributed instead.
    if estimate.months_total < 12:
        estimate.under_one_year = True
        estimate.contributed_22 = round_vnd(estimate.adjusted_total * UNDER_ONE_YEAR_SHARE)
        estimate.cap = round_vnd(UNDER_ONE_YEAR_CAP_MONTHS * estimate.average_salary)
        estimate.amount = min(estimate.contributed_22, estimate.cap)
        return estimate
    estimate.years_before, estimate.leftover_months = divmod(estimate.months_before, 12)
    estimate.months_from_counted = estimate.months_from + estimate.leftover_months
    estimate.whole_years_from, estimate.odd_months, estimate.odd_months_as_years = round_odd_months(
        estimate.months_from_counted)
    estimate.years_from = estimate.whole_years_from + estimate.odd_months_as_years

    # Step 5: the amount.
    estimate.salary_months = estimate.salary_months_before + estimate.salary_months_from
    estimate.amount = round_vnd(estimate.salary_months * estimate.average_salary)
    return estimate
