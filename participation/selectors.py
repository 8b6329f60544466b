"""Reads of participation history: periods, totals counted the way BHXH counts them, the chart."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.selectors import children_of
from vssid_portal.dates import month_from_ordinal, month_ordinal
from vssid_portal.money import round_vnd

from .models import Period, Statement, months_between


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    kinds: tuple[str, ...]


TABS = (
    Tab("bhxh", _("BHXH"), (Period.Kind.BHXH_COMPULSORY, Period.Kind.BHXH_VOLUNTARY)),
    Tab("bhtn", _("BHTN"), (Period.Kind.BHTN,)),
    Tab("bhtnld", _("BHTNLĐ-BNN"), (Period.Kind.BHTNLD,)),
    Tab("bhyt", _("BHYT"), (Period.Kind.BHYT,)),
)
# Who pays a period's contributions, for the apps that read periods through these selectors only.
Payer = Period.Payer

TABS_BY_SLUG = {tab.slug: tab for tab in TABS}
TABS_BY_KIND = {kind: tab for tab in TABS for kind in tab.kinds}

# What the pages say of months still owed, by who pays them (an employer, the person themself for
# voluntary BHXH, a household for household BHYT, the state budget, the fund).
OWED_NOTES = {
    Period.Payer.EMPLOYER: _("đơn vị chưa đóng đủ; hãy liên hệ đơn vị hoặc cơ quan BHXH"),
    Period.Payer.SELF: _("phần tự đóng chưa đóng đủ; hãy đóng bổ sung tại điểm thu hoặc liên hệ cơ quan BHXH"),
    Period.Payer.HOUSEHOLD: _("hộ gia đình chưa đóng đủ; hãy đóng bổ sung tại điểm thu hoặc liên hệ cơ quan BHXH"),
    Period.Payer.STATE: _("ngân sách nhà nước chưa đóng đủ; hãy liên hệ cơ quan BHXH"),
    Period.Payer.FUND: _("quỹ BHXH, BHTN chưa đóng đủ; hãy liên hệ cơ quan BHXH"),
}


def format_months(months: int, *, both_units: bool = False) -> str:
    """41 → '3 năm 5 tháng'; 12 → '1 năm'; 5 → '5 tháng'; 0 → '0 tháng' (in English: '3 years 5
    months', '1 year', ...): in the active language (a Vietnamese document forces Vietnamese).
    `both_units` says both ('0 năm 5 tháng', '1 năm 0 tháng') but for no month at all, as a
    statement does."""
    years, rest = divmod(months, 12)
    parts = ([ngettext("%(years)d năm", "%(years)d năm", years) % {"years": years}]
             if years or (both_units and months) else [])
    if rest or not years or both_units:
        parts.append(ngettext("%(months)d tháng", "%(months)d tháng", rest) % {"months": rest})
    return " ".join(parts)


def months_spanned(first: datetime.date, last: datetime.date) -> int:
    """Months from the month `first` to the month `last`, both counted (01/2020–12/2020 is 12), as a
    period's months are counted: what another app counts a stretch of a period's months with."""
    return months_between(first, last)


@dataclass
class Totals:
    months: int = 0
    months_owed: int = 0
    gaps: list[tuple[datetime.date, datetime.date]] = field(default_factory=list)
    first: datetime.date | None = None
    last: datetime.date | None = None
    # (payer, months, what to say) for each payer with months owed, in the order of Period.Payer
    owed_by: list[tuple[str, int, str]] = field(default_factory=list)
    # months after the month counted to that are paid already, the first and the last of them
    months_ahead: int = 0
    ahead_first: datetime.date | None = None
    ahead_last: datetime.date | None = None

    @property
    def months_paid(self) -> int:
        return self.months - self.months_owed

    @property
    def duration(self) -> str:
        return format_months(self.months)


def totals_of(periods, *, until: datetime.date | None = None) -> Totals:
    """Months covered (overlaps counted once), months whose contribution is still owed (and by
    which payer), and the gaps between the first and last covered month. With `until` (a month:
    the current one), only the months up to it: the months after it already paid (voluntary BHXH
    is paid up to 60 months ahead, a household's BHYT 12) are not contributed yet and are counted
    apart as `months_ahead`, and those after it still unpaid are not due yet."""
    covered, unpaid = set(), defaultdict(set)
    for period in periods:
        start, end = month_ordinal(period.from_month), month_ordinal(period.to_month)
        paid_until = end - period.unpaid_months
        covered.update(range(start, paid_until + 1))
        unpaid[period.payer].update(range(paid_until + 1, end + 1))
    owed_by_payer = {payer: unpaid[payer] - covered for payer in Period.Payer.values}  # a month another period paid for is not owed
    ahead = set()
    if until is not None:
        last = month_ordinal(until)
        ahead = {ordinal for ordinal in covered if ordinal > last}
        covered -= ahead
        owed_by_payer = {payer: {ordinal for ordinal in owed if ordinal <= last} for payer, owed in owed_by_payer.items()}
    ahead_first, ahead_last = (month_from_ordinal(min(ahead)), month_from_ordinal(max(ahead))) if ahead else (None, None)
    owed = set().union(*owed_by_payer.values())
    months = covered | owed
    if not months:
        return Totals(months_ahead=len(ahead), ahead_first=ahead_first, ahead_last=ahead_last)
    gaps, previous = [], None
    for ordinal in sorted(months):
        if previous is not None and ordinal > previous + 1:
            gaps.append((month_from_ordinal(previous + 1), month_from_ordinal(ordinal - 1)))
        previous = ordinal
    owed_by = [(payer, len(owed_months), OWED_NOTES[payer]) for payer, owed_months in owed_by_payer.items() if owed_months]
    return Totals(len(months), len(owed), gaps, month_from_ordinal(min(months)), month_from_ordinal(max(months)), owed_by, len(ahead),
                  ahead_first, ahead_last)


def owed_until(*, to_month: datetime.date, unpaid_months: int, until: datetime.date) -> tuple[int, int]:
    """A period's unpaid months (its last ones) split at the month `until`: those up to it, owed,
    and those after it, not due yet. totals_of stops at the same month, and also leaves out of the
    total a month another period of the type covers, which this row's own figure still names."""
    not_due = min(unpaid_months, max(month_ordinal(to_month) - month_ordinal(until), 0))
    return unpaid_months - not_due, not_due


def with_owed_until(periods, *, until: datetime.date):
    """The periods, each with `months_owed` and `months_not_due` set (see owed_until): what a row
    says next to totals counted up to `until`."""
    for period in periods:
        period.months_owed, period.months_not_due = owed_until(to_month=period.to_month,
                                                               unpaid_months=period.unpaid_months, until=until)
    return periods


def periods_overlapping(periods):
    """Of `periods`, those whose months another period of the same person, type and payer (the same
    employer when an employer pays) shares: stored before period_save refused them, and refused now on
    any edit until one of the two is corrected. One query: an EXISTS on the person's periods of that
    type (period_person_kind_idx) for each row read."""
    other = Period.objects.filter(
        Q(employer_id=OuterRef("employer_id")) | ~Q(payer=Period.Payer.EMPLOYER),
        person_id=OuterRef("person_id"), kind=OuterRef("kind"), payer=OuterRef("payer"),
        from_month__lte=OuterRef("to_month"), to_month__gte=OuterRef("from_month"),
    ).exclude(pk=OuterRef("pk"))
    return periods.filter(Exists(other))


def periods_for(*, person, kinds=None):
    periods = Period.objects.filter(person=person).select_related("employer", "province", "facility", "agency")
    if kinds:
        periods = periods.filter(kind__in=kinds)
    return periods.order_by("-from_month", "kind", "pk")


def bhyt_spans_for(*, person) -> list[tuple[datetime.date, datetime.date]]:
    """The (first month, last month) of each of the person's BHYT periods: the coverage a health
    card's five-year date counts."""
    return list(periods_for(person=person, kinds=(Period.Kind.BHYT,)).values_list("from_month", "to_month"))


def periods_by_person(*, persons, kinds) -> dict[int, list[Period]]:
    """Each person's periods of `kinds`, first to last, with their facility and agency (and its
    province), by person id: what the demo benefit records and cards are drawn from."""
    periods: dict[int, list[Period]] = {}
    for period in (Period.objects.filter(person__in=persons, kind__in=kinds)
                   .select_related("facility", "agency__province").order_by("from_month", "pk")):
        periods.setdefault(period.person_id, []).append(period)
    return periods


@dataclass(frozen=True)
class YearBase:
    year: int
    average_base: int


def yearly_average_base(periods, *, until: datetime.date | None = None) -> list[YearBase]:
    """Average monthly contribution base per calendar year. A month's base is the sum of the bases
    of every period covering it (compulsory and voluntary BHXH in the same month, two employers:
    the rule of the one-time estimator), averaged over the distinct months covered in the year;
    with `until` (a month), over the months up to it only (see totals_of). Rounded to the đồng half
    up (round_vnd), as every amount of the portal is."""
    monthly = defaultdict(int)
    for period in periods:
        last = month_ordinal(period.to_month) if until is None else min(month_ordinal(period.to_month), month_ordinal(until))
        for ordinal in range(month_ordinal(period.from_month), last + 1):
            monthly[ordinal] += period.base
    sums, counts = defaultdict(int), defaultdict(int)
    for ordinal, base in monthly.items():
        sums[ordinal // 12] += base
        counts[ordinal // 12] += 1
    return [YearBase(year, round_vnd(Decimal(sums[year]) / counts[year])) for year in sorted(sums)]


def statements_of_holder(user):
    """The statements `user` holds: those of the user's own person and of the minor children the user
    may view (accounts.selectors.children_of). Not an officer's scope, as the `*_visible_to` reads are."""
    if not user.is_authenticated:
        return Statement.objects.none()
    return Statement.objects.filter(
        Q(person__user=user) | Q(person__in=children_of(user=user))
    ).distinct().select_related("person")


def statement_is_holder(statement: Statement, user) -> bool:
    """Whether `user` holds `statement` (statements_of_holder)."""
    return statements_of_holder(user).filter(pk=statement.pk).exists()
