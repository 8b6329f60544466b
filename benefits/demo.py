"""Demo benefit records for `manage.py seed_demo`.

A fraction of the demo persons (and always the demo citizen 7901234567) get the records their age,
sex and participation history make plausible: sickness and maternity for people of working age,
unemployment allowance, the odd labour accident, a pension, one-time BHXH; minors none. The records
that count contribution months follow the history seeded before them (participation/demo.py):
- a pension starts the month after the person reaches retirement age, the month their working life
  (and their contributions) ended; it counts the months of that history, needs 20 years of them
  before 01/07/2025 and 15 from then on, and its rate and amount follow them (`pension_rate`);
- one-time BHXH is claimed after 12 months without contributions (in a long gap of the history, or
  after its end) by someone with fewer than 20 years contributed (`claim_windows`); it counts the
  months before, and a later return to work starts afresh;
- the demo citizen, who still contributes, has a one-time claim refused for that reason, a sickness
  record and a monthly labour-accident allowance (so that the procedures about monthly benefits
  open to him).
The same persons, history and seed give the same records (the other dates are counted back from the
day the demo is seeded, so an in-progress claim is always recent, the demo citizen's from the fixed
end of his history, so that they stay within it); a record is known by its reference, so a second
run creates nothing.

Demo rows are written in bulk, validated by the model's rules, and tell nobody: seeding is not a
change of anybody's record (the demo logins do not exist yet when apps seed). A pension brings the
BHYT the BHXH fund pays for a pensioner (`participation.demo.pensioner_bhyt`).
"""

import bisect
import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Person
from accounts.selectors import adult_born_by
from lookup.models import Agency
from participation.demo import pensioner_bhyt, retirement_month
from participation.models import Period
from participation.selectors import periods_by_person
from vssid_portal.dates import age_on, month_from_ordinal, month_ordinal
from vssid_portal.money import round_vnd

from .estimator import Contribution, contributed_months, estimate_one_time, round_odd_months
from .models import BenefitEvent, BenefitRecord, Kind, Status
from .selectors import BHXH_KINDS, coefficients, contributions_of

DEMO_CITIZEN_CODE = "7901234567"
SHARE = 0.2  # of the other persons, who get benefit records
REFERENCE_LEVEL = 2_340_000  # mức tham chiếu (Law 41/2024 art. 7), VND a month
LAW_2024 = datetime.date(2025, 7, 1)  # Law 41/2024/QH15 in force
# One-time BHXH on leaving work (Law 41/2024 art. 70.1.d, for those who contributed before
# 01/07/2025; Law 58/2014 art. 60.1 as amended by Resolution 93/2015 before it): after 12 months
# neither in compulsory nor in voluntary BHXH, with fewer than 20 years of contributions.
ONE_TIME_WAIT_MONTHS = 12
ONE_TIME_BELOW_MONTHS = 20 * 12
NOT_YET_12_MONTHS = "Chưa đủ 12 tháng sau khi nghỉ việc mà không tiếp tục đóng BHXH."
PaymentMethod = BenefitRecord.PaymentMethod


def _round(value: float | Decimal, step: int = 100) -> int:
    """`value` to the nearest `step` đồng, half up: the portal's one rule (round_vnd), in steps."""
    return round_vnd(Decimal(value) / step) * step


def _decided(rng, record: BenefitRecord, *, days_to_decide: int, paid: bool, today: datetime.date) -> None:
    record.decision_date = min(record.received_on + datetime.timedelta(days=days_to_decide), today)
    record.decision_number = f"{rng.randrange(100, 9999)}/QĐ-BHXH"
    record.payment_method = rng.choice([PaymentMethod.BANK, PaymentMethod.BANK, PaymentMethod.BANK, PaymentMethod.CASH])
    if paid:
        record.status = Status.PAID
        record.paid_on = min(record.decision_date + datetime.timedelta(days=rng.randrange(2, 8)), today)
    else:
        record.status = Status.APPROVED


def _sickness(rng, record, base, today):
    record.days_off = rng.randrange(2, 15)
    record.start_date = record.received_on - datetime.timedelta(days=record.days_off + rng.randrange(5, 40))
    record.expected_on = record.received_on + datetime.timedelta(days=6)
    record.amount = _round(base * 0.75 / 24 * record.days_off)  # 75 % of the salary, 24 days a month
    _decided(rng, record, days_to_decide=rng.randrange(3, 7), paid=True, today=today)


def _maternity(rng, record, base, today):
    record.child_birth_date = record.received_on - datetime.timedelta(days=rng.randrange(10, 60))
    record.days_off = 180  # six months
    record.start_date = record.child_birth_date - datetime.timedelta(days=rng.randrange(0, 30))
    record.expected_on = record.received_on + datetime.timedelta(days=6)
    record.amount = _round(6 * base + 2 * REFERENCE_LEVEL)  # six months' salary + childbirth allowance
    _decided(rng, record, days_to_decide=rng.randrange(3, 7), paid=True, today=today)


def _until(contributions: list[Contribution], last: datetime.date) -> list[Contribution]:
    """The contributions of the months up to `last` (a month a claim settles)."""
    kept = []
    for item in contributions:
        if item.first <= last:
            cut = item.last > last  # the months still owed are the period's last ones: past `last`
            kept.append(Contribution(item.first, min(item.last, last), item.base, item.scheme,
                                     0 if cut else item.unpaid_months))
    return kept


def claim_windows(contributions: list[Contribution], today: datetime.date) -> list[tuple[datetime.date, int, int]]:
    """When one-time BHXH may be claimed on leaving work: (the last month contributed, the first and
    the last month the claim may be received, as ordinals), after ONE_TIME_WAIT_MONTHS without
    contributions and with fewer than ONE_TIME_BELOW_MONTHS contributed. A claim before a return to
    work is received at least a month before it, so that it is decided and paid first."""
    covered = sorted({ordinal for item in contributions
                      for ordinal in range(month_ordinal(item.first), month_ordinal(item.last) + 1)})
    paid = sorted(contributed_months(contributions))  # the months owed are not contributed
    windows = []
    for index, last in enumerate(covered):
        following = covered[index + 1] if index + 1 < len(covered) else None
        first_claim = last + ONE_TIME_WAIT_MONTHS + 1
        last_claim = following - 2 if following is not None else month_ordinal(today)
        if first_claim > last_claim:
            continue
        if first_claim >= month_ordinal(LAW_2024) and covered[0] >= month_ordinal(LAW_2024):
            continue  # art. 70.1.d is only for those who contributed before the 2024 law
        if 0 < bisect.bisect_right(paid, last) < ONE_TIME_BELOW_MONTHS:
            windows.append((month_from_ordinal(last), first_claim, last_claim))
    return windows


def _one_time(rng, record, today, contributions, table, *, last=None):
    """A claim received in a window of `claim_windows` after the month `last`, counting the months
    up to it (the estimator's figures, with today's adjustment table); without `last`, the demo
    citizen's claim, filed while he still contributes and refused."""
    record.expected_on = record.received_on + datetime.timedelta(days=10)
    if last is None:
        record.status, record.reject_reason = Status.REJECTED, NOT_YET_12_MONTHS
        return
    estimate = estimate_one_time(_until(contributions, last), table)
    record.contribution_months = estimate.months_total
    waited = (today - record.received_on).days
    if waited < 10:
        record.status = rng.choice([Status.RECEIVED, Status.PROCESSING])
    elif rng.random() < 0.15:
        record.status = Status.REJECTED
        record.reject_reason = "Hồ sơ thiếu sổ BHXH bản chính; vui lòng bổ sung và nộp lại."
    else:
        record.amount = estimate.amount
        _decided(rng, record, days_to_decide=rng.randrange(5, 10), paid=waited >= 20, today=today)


def pension_rate(months: int, sex: int, start: datetime.date) -> Decimal:
    """The replacement rate for `months` of contributions, odd months rounded to half a year or a
    year (Law 41/2024 art. 5.6). Law 41/2024 art. 66 (and Law 58/2014 art. 56 from 2018): 45 % for
    15 years (women) or 20 years (men; 16 years in 2018, a year more each year until 2022), 2 % for
    each further year, at most 75 %; from 01/07/2025 a man with 15 to 20 years gets 40 % and 1 % for
    each year over 15. Before 2018 (Law 71/2006 art. 52): 45 % for 15 years, then 2 % (men) or 3 %
    (women) a year."""
    whole, _odd, part = round_odd_months(months)
    years = whole + part
    female = sex == Person.Sex.FEMALE
    if start.year < 2018:
        threshold, step = 15, 3 if female else 2
    else:
        threshold, step = 15 if female else min(20, max(16, start.year - 2002)), 2
    rate = 45 + step * (years - threshold) if years >= threshold else 40 + (years - 15)
    return min(Decimal(rate), Decimal(75))


def pension_months_needed(start: datetime.date) -> int:
    """Law 41/2024 art. 64: 15 years; Law 58/2014 art. 54 before it: 20 years."""
    return 15 * 12 if start >= LAW_2024 else 20 * 12


def _pension(rng, record, today, contributions, table):
    """From the month after the person reached retirement age (`record.start_date`), on the months
    of their history: the rate follows them, the amount is the rate of the average salary (art. 72)."""
    estimate = estimate_one_time(contributions, table)
    record.contribution_months = estimate.months_total
    record.replacement_rate = pension_rate(estimate.months_total, record.person.sex, record.start_date)
    record.monthly_amount = _round(estimate.average_salary * record.replacement_rate / 100)
    record.expected_on = record.received_on + datetime.timedelta(days=20)
    _decided(rng, record, days_to_decide=rng.randrange(10, 20), paid=True, today=today)


def _unemployment(rng, record, base, today):
    record.start_date = record.received_on + datetime.timedelta(days=16)
    record.allowance_months = rng.randrange(3, 13)
    record.monthly_amount = min(_round(base * 0.6), 5 * 4_960_000)  # 60 %, at most 5 regional minimum wages
    record.payment_method = PaymentMethod.BANK
    record.expected_on = record.received_on + datetime.timedelta(days=20)
    _decided(rng, record, days_to_decide=rng.randrange(15, 20), paid=rng.random() < 0.6, today=today)


def _accident(rng, record, base, today, *, impairment=None):
    record.event_date = record.received_on - datetime.timedelta(days=rng.randrange(60, 200))
    record.impairment_percent = rng.choice([8, 12, 21, 26, 35, 41])
    if impairment is not None:
        record.impairment_percent = impairment
    record.expected_on = record.received_on + datetime.timedelta(days=10)
    if record.impairment_percent < 31:  # a lump sum: 5 reference levels + 0.5 for each % above 5
        record.amount = _round(REFERENCE_LEVEL * (5 + 0.5 * (record.impairment_percent - 5)))
    else:  # a monthly allowance: 30 % of the reference level + 2 % for each % above 31
        record.monthly_amount = _round(REFERENCE_LEVEL * (0.30 + 0.02 * (record.impairment_percent - 31)))
    _decided(rng, record, days_to_decide=rng.randrange(7, 14), paid=True, today=today)


def _records_for(rng, person, agency, today, contributions, table, *, citizen=False) -> list[BenefitRecord]:
    base = rng.randrange(5_000_000, 25_000_001, 50_000)
    age = age_on(person.birth_date, today)
    days = datetime.timedelta
    plans: list[tuple[str, datetime.date, dict]] = []  # (kind, the day the claim was received, details)
    if citizen:  # a monthly labour-accident allowance too: the procedures about monthly benefits open to him
        # His records are dated back from the end of his history (participation.demo.TODAY, a fixed
        # day), not from the day the demo is seeded, however long after it that is: his sick days
        # and his accident fall in months he contributed, and his one-time claim, refused as filed
        # before 12 months without contributions, is received in the 12th month after his last one
        # at the latest.
        paid = contributed_months(contributions)
        contributing, refused = today, today - days(40)
        if paid:
            contributing = min(today, month_from_ordinal(max(paid) + 1) - days(1))
            refused = min(refused, month_from_ordinal(max(paid) + ONE_TIME_WAIT_MONTHS))
        plans = [(Kind.SICKNESS, contributing - days(140), {}), (Kind.ACCIDENT, contributing - days(420), {}),
                 (Kind.ONE_TIME, refused, {})]
    else:
        pension_from = month_from_ordinal(month_ordinal(retirement_month(person.birth_date, person.sex)) + 1)
        retired = pension_from <= today
        months = estimate_one_time(contributions, table).months_total
        if retired and months >= pension_months_needed(pension_from):
            received = min(pension_from - days(rng.randrange(10, 45)), today)
            plans.append((Kind.PENSION, received, {"start": pension_from}))
        if not retired and rng.random() < 0.6:
            plans.append((Kind.SICKNESS, today - days(rng.randrange(10, 700)), {}))
        if person.sex == 2 and 20 <= age <= 42 and rng.random() < 0.35:
            plans.append((Kind.MATERNITY, today - days(rng.randrange(30, 700)), {}))
        if not retired and age >= 22 and rng.random() < 0.2:
            plans.append((Kind.UNEMPLOYMENT, today - days(rng.randrange(30, 500)), {}))
        if not retired and rng.random() < 0.05:
            plans.append((Kind.ACCIDENT, today - days(rng.randrange(30, 600)), {}))
        windows = [] if plans and plans[0][0] == Kind.PENSION else claim_windows(contributions, today)
        if windows and rng.random() < 0.5:
            last, first_claim, last_claim = rng.choice(windows)
            month = rng.randrange(first_claim, last_claim + 1)
            received = min(month_from_ordinal(month) + days(rng.randrange(0, 28)), today)
            plans.append((Kind.ONE_TIME, received, {"last": last}))
        if not plans:
            plans.append((Kind.SICKNESS, today - days(rng.randrange(10, 700)), {}))
    records = []
    for index, (kind, received, details) in enumerate(plans, start=1):
        record = BenefitRecord(
            reference=f"{agency.code}.{person.bhxh_code}.{index:02d}", person=person, agency=agency, kind=kind,
            received_on=received, revision=1,
        )
        if kind == Kind.SICKNESS:
            _sickness(rng, record, base, today)
        elif kind == Kind.MATERNITY:
            _maternity(rng, record, base, today)
        elif kind == Kind.ONE_TIME:
            _one_time(rng, record, today, contributions, table, last=details.get("last"))
        elif kind == Kind.PENSION:
            record.start_date = details["start"]
            _pension(rng, record, today, contributions, table)
        elif kind == Kind.UNEMPLOYMENT:
            _unemployment(rng, record, base, today)
        else:
            _accident(rng, record, base, today, impairment=35 if citizen else None)
        records.append(record)
    return records


def _agency_picker(rng):
    """The agency that handles a person's claims: a local office of their province."""
    by_province: dict[int, list[Agency]] = {}
    for agency in Agency.objects.order_by("code"):
        by_province.setdefault(agency.province_id, []).append(agency)

    def pick(person) -> Agency:
        agencies = by_province.get(person.province_id) or by_province[min(by_province)]
        local = [a for a in agencies if a.parent_id is not None] or agencies
        if person.bhxh_code == DEMO_CITIZEN_CODE:
            return next((a for a in local if a.code == "07901"), local[0])
        return rng.choice(local)

    return pick


def seed(*, persons, seed) -> str:
    if not persons:
        return ""
    today = timezone.localdate()
    rng = random.Random(f"benefits-{seed}")
    pick_agency = _agency_picker(rng)
    table = coefficients()
    history = periods_by_person(persons=persons, kinds=BHXH_KINDS)
    records: list[BenefitRecord] = []
    adults_from = adult_born_by()
    for person in sorted(persons, key=lambda p: p.bhxh_code):
        if person.birth_date > adults_from:  # skipped before drawing: the others keep their numbers
            continue
        citizen = person.bhxh_code == DEMO_CITIZEN_CODE
        chosen = rng.random() < SHARE
        if not (citizen or chosen):
            continue
        agency = pick_agency(person)
        contributions = contributions_of(history.get(person.pk, []))
        records.extend(_records_for(rng, person, agency, today, contributions, table, citizen=citizen))
    existing = set(BenefitRecord.objects.filter(reference__in=[r.reference for r in records])
                   .values_list("reference", flat=True))
    new = [record for record in records if record.reference not in existing]
    for record in new:
        record.full_clean(exclude=["person", "agency"], validate_unique=False)
    bhyt = [pensioner_bhyt(r.person, first=r.start_date, pension=r.monthly_amount, agency=r.agency)
            for r in new if r.kind == Kind.PENSION]
    with transaction.atomic():
        created = BenefitRecord.objects.bulk_create(new, batch_size=1000)
        BenefitEvent.objects.bulk_create(
            [BenefitEvent(record=record, revision=1, status=record.status, changes="Tạo từ dữ liệu mẫu.")
             for record in created], batch_size=1000)
        Period.objects.bulk_create([period for period in bhyt if period], ignore_conflicts=True)
    return f"{len(new)} hồ sơ hưởng mới, {len(existing)} đã có."
