"""Reads of benefit records (the citizen's, an officer's scope) and the estimator's inputs.

Every page reads a fixed number of queries whatever the number of records: records come with
their agency in one query, and grouping and timelines are built in Python.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lookup.selectors import within_officer_scope
from participation.selectors import TABS_BY_SLUG, months_spanned, periods_for

from .estimator import Coefficients, Contribution, OneTimeEstimate, estimate_one_time
from .models import DECIDED, BenefitRecord, Kind, SalaryAdjustment, Status

BHXH_KINDS = TABS_BY_SLUG["bhxh"].kinds  # compulsory and voluntary BHXH: the kinds of participation's BHXH tab
# The BHXH benefits paid every month for as long as they last: a pension, and the monthly allowance
# of a labour accident or occupational disease (impairment of 31 % or more). Unemployment allowance
# is BHTN, with procedures of its own.
MONTHLY_KINDS = (Kind.PENSION, Kind.ACCIDENT)
_MONTHLY = Q(kind__in=MONTHLY_KINDS, status__in=DECIDED, monthly_amount__isnull=False)


def benefits_for(*, person):
    """A person's records, newest receipt first; none when there is nobody to show."""
    if person is None:
        return BenefitRecord.objects.none()
    return BenefitRecord.objects.filter(person=person).select_related("agency").order_by("-received_on", "-pk")


def monthly_benefits_of(*, person):
    """The monthly BHXH benefits the person is granted (decided, with a monthly amount): what the
    procedures on where and how they are paid change."""
    return BenefitRecord.objects.filter(_MONTHLY, person=person).order_by("pk")


# What a person still has money to receive in: a monthly benefit granted, or a claim neither
# refused nor paid yet.
_TO_COLLECT = _MONTHLY | ~Q(status__in=(Status.REJECTED, Status.PAID))


def kinds_to_collect(*, person) -> set[str]:
    """The benefit types the person still has money to receive in. One query."""
    return set(BenefitRecord.objects.filter(_TO_COLLECT, person=person).values_list("kind", flat=True))


def paying_agency(*, person, kinds=()):
    """The BHXH agency that pays the person, which handles their requests on where, how and to whom
    it pays: the agency of their latest monthly benefit (a change of benefit place moves each of
    them), or with `kinds` of their latest record of those kinds still to collect. None when there
    is none. One query."""
    records = BenefitRecord.objects.filter(_TO_COLLECT, person=person, kind__in=kinds) if kinds \
        else monthly_benefits_of(person=person)
    record = records.select_related("agency").order_by("-pk").first()
    return record.agency if record is not None else None


def benefits_visible_to(user):
    """Records an officer may see and correct: those handled by their agency, and for a province
    officer by every agency below theirs. Superusers see all; anyone else none."""
    return within_officer_scope(BenefitRecord.objects.select_related("person", "agency"), user)


@dataclass(frozen=True)
class Entry:
    record: BenefitRecord
    timeline: list | None  # the VssID-style timeline, shown in the list for one-time BHXH


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    entries: list[Entry]


def group_by_kind(records) -> list[Group]:
    """Records grouped by benefit type, in the order of `Kind`; types without records left out.
    One-time BHXH records carry their timeline."""
    buckets: dict[str, list[Entry]] = {kind: [] for kind in Kind.values}
    for record in records:
        timeline = benefit_timeline(record) if record.kind == Kind.ONE_TIME else None
        buckets[record.kind].append(Entry(record, timeline))
    return [Group(kind, Kind(kind).label, entries) for kind, entries in buckets.items() if entries]


@dataclass(frozen=True)
class Step:
    """One step of a record's timeline. `state`: done, current, todo, overdue or failed (said in
    words too); the promised day of a result has its own: none while there is no such day, and once
    the claim is settled on_time, late, or settled when the day of the result is not recorded. A step
    done carries its date when the record has it, and no date otherwise."""

    title: str
    state: str
    date: object = None
    text: str = ""

    @property
    def state_label(self) -> str:
        return STEP_STATES[self.state]


# A step's state in words, by its name (its marker's class on the page: timeline__step--<name>).
STEP_STATES = {
    "done": gettext_lazy("Đã xong"), "current": gettext_lazy("Đang thực hiện"), "todo": gettext_lazy("Chưa đến"),
    "overdue": gettext_lazy("Đã quá hẹn"), "failed": gettext_lazy("Không giải quyết"),
    "none": gettext_lazy("Chưa có ngày hẹn"), "on_time": gettext_lazy("Có kết quả đúng hẹn"),
    "late": gettext_lazy("Có kết quả sau ngày hẹn"), "settled": gettext_lazy("Đã có kết quả"),
}


def benefit_timeline(record: BenefitRecord) -> list[Step]:
    """The steps VssID shows for a claim: receipt (date, agency), handling, result, the date the
    result is promised, payment; in the page's language."""
    status = record.status
    decided = status in (Status.APPROVED, Status.PAID)
    handling, result, payment = _("Giải quyết hồ sơ"), _("Kết quả"), _("Chi trả")
    received = _("%(agency)s (số hồ sơ %(reference)s)") % {"agency": record.agency.name, "reference": record.reference}
    steps = [Step(_("Tiếp nhận hồ sơ"), "done", record.received_on, received)]
    if status == Status.RECEIVED:
        steps.append(Step(handling, "todo"))
    elif status == Status.PROCESSING:
        steps.append(Step(handling, "current", text=_("Cơ quan BHXH đang xem xét hồ sơ.")))
    else:  # done on the day of the decision, when the record has it
        steps.append(Step(handling, "done", record.decision_date))
    if decided:
        steps.append(Step(result, "done", record.decision_date,
                          _("Đã giải quyết theo quyết định số %(number)s.") % {"number": record.decision_number}))
    elif status == Status.REJECTED:
        # The agency's own words, in Vietnamese only: marked so for a screen reader on an English page.
        reason = format_html('<span lang="vi">{}</span>', record.reject_reason)
        refused = mark_safe(conditional_escape(_("Không giải quyết: %(reason)s")) % {"reason": reason})
        steps.append(Step(result, "failed", text=refused))
    else:
        steps.append(Step(result, "todo", text=_("Chưa có kết quả.")))
    if record.is_overdue:
        steps.append(Step(_("Ngày hẹn trả kết quả"), "overdue", record.expected_on,
                          _("Đã quá ngày hẹn mà chưa có kết quả: hãy liên hệ cơ quan BHXH giải quyết hồ sơ.")))
    elif status in (Status.RECEIVED, Status.PROCESSING):
        steps.append(Step(_("Ngày hẹn trả kết quả"), "todo" if record.expected_on else "none", record.expected_on))
    elif record.expected_on:  # a promised day is no step done: whether the result came by it, if known
        settled = record.decision_date
        kept = "settled" if settled is None else "on_time" if settled <= record.expected_on else "late"
        steps.append(Step(_("Ngày hẹn trả kết quả"), kept, record.expected_on))
    if status == Status.PAID:
        steps.append(Step(payment, "done", record.paid_on, record.get_payment_method_display()))
    elif status == Status.APPROVED:
        steps.append(Step(payment, "current", text=record.get_payment_method_display()))
    elif status != Status.REJECTED:
        steps.append(Step(payment, "todo"))
    return steps


def coefficients() -> Coefficients:
    table: dict[str, dict[int, Decimal]] = {}
    for scheme, year, value in SalaryAdjustment.objects.values_list("scheme", "year", "coefficient"):
        table.setdefault(scheme, {})[year] = value
    return Coefficients(table, current_year=timezone.localdate().year)


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def months_ahead(period, until: datetime.date) -> int:
    """The months of `period` after the month `until`: paid ahead (voluntary BHXH may be paid for
    years to come) but not reached yet; every month of a period that starts after it."""
    if period.to_month <= until:
        return 0
    return months_spanned(max(period.from_month, _next_month(until)), period.to_month)


def contributions_of(periods, *, after: datetime.date | None = None,
                     until: datetime.date | None = None) -> list[Contribution]:
    """The periods as the estimator takes them; with `after` (a month), only their months after it;
    with `until` (a month), only their months up to it. The months an employer still owes are a
    period's last ones, so those cut off with the months after `until` are owed no more here."""
    contributions = []
    for p in periods:
        first = p.from_month if after is None else max(p.from_month, _next_month(after))
        last = p.to_month if until is None else min(p.to_month, until)
        if first > last:
            continue
        months = months_spanned(first, last)
        unpaid = p.unpaid_months - (months_ahead(p, until) if until is not None else 0)
        contributions.append(Contribution(first=first, last=last, base=p.base, scheme=p.kind,
                                          unpaid_months=min(max(unpaid, 0), months)))
    return contributions


@dataclass(frozen=True)
class Settlement:
    """A one-time BHXH benefit granted: the months it settled no longer count, neither toward
    another one-time benefit nor toward a pension (Law 41/2024 art. 70; Law 58/2014 art. 60)."""

    record: BenefitRecord
    through: datetime.date  # the last month settled (its first day)


def one_time_settlement_for(*, person) -> Settlement | None:
    """The latest one-time BHXH benefit granted to the person (approved — the decision fixes the
    months — or paid), if any. A record does not store the last month it settled: it is the month
    before the month the claim was received. A claim is filed only after 12 months without
    contributions, so it settles every month contributed before the receipt, and none after (a
    return to work starts a new contribution time). One query."""
    record = (BenefitRecord.objects.filter(person=person, kind=Kind.ONE_TIME, status__in=DECIDED)
              .order_by("-received_on", "-pk").first())
    if record is None:
        return None
    return Settlement(record, (record.received_on.replace(day=1) - datetime.timedelta(days=1)).replace(day=1))


@dataclass
class Estimate:
    periods: list
    result: OneTimeEstimate
    settlement: Settlement | None = None


def one_time_estimate_for(*, person) -> Estimate:
    """The person's BHXH periods (compulsory and voluntary) not settled by a one-time benefit
    granted already, and the one-time estimate built on them: three queries (the periods, the
    last one-time benefit, the coefficients). The estimate is of today: months paid ahead that are
    not reached yet do not count (their contributions are refunded, not paid out); each period
    carries their number as `months_ahead`, which the page states."""
    if person is None:
        return Estimate([], estimate_one_time([], coefficients()))
    settlement = one_time_settlement_for(person=person)
    after = settlement.through if settlement else None
    this_month = timezone.localdate().replace(day=1)
    periods = [p for p in periods_for(person=person, kinds=BHXH_KINDS) if after is None or p.to_month > after]
    for period in periods:
        period.months_ahead = months_ahead(period, this_month)
    contributions = contributions_of(periods, after=after, until=this_month)
    return Estimate(periods, estimate_one_time(contributions, coefficients()), settlement)
