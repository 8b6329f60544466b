"""Demo benefit records for `manage.py seed_demo`.

A fraction of the demo persons (and always the demo citizen 7901234567, who also has a monthly
labour-accident allowance) get the records their age and sex make plausible: sickness and maternity for people of working age, a pension after
retirement age, unemployment allowance, the odd labour accident, one-time BHXH; minors none. The
same persons and seed give the same records (dates are counted back from the day the demo is
seeded, so an in-progress claim is always recent); a record is known by its reference, so a second
run creates nothing.

Demo rows are written in bulk, validated by the model's rules, and tell nobody: seeding is not a
change of anybody's record (the demo logins do not exist yet when apps seed).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.selectors import adult_born_by
from lookup.models import Agency

from .models import BenefitEvent, BenefitRecord, Kind, Status
from .selectors import one_time_estimate_for

DEMO_CITIZEN_CODE = "7901234567"
SHARE = 0.2  # of the other persons, who get benefit records
REFERENCE_LEVEL = 2_340_000  # mức tham chiếu (Law 41/2024 art. 7), VND a month
PaymentMethod = BenefitRecord.PaymentMethod


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _round(value: float, step: int = 100) -> int:
    return int(round(value / step) * step)


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


def _one_time(rng, record, base, today, *, status=None):
    """From the person's demo participation history when there is one (the estimator's figures),
    else from a made-up history of 14–150 months at `base`."""
    estimate = one_time_estimate_for(person=record.person).result
    if estimate.months_total >= 12:
        record.contribution_months, amount = estimate.months_total, estimate.amount
    else:
        months = rng.randrange(14, 150)
        years, odd = divmod(months, 12)
        years += 0 if odd == 0 else (0.5 if odd <= 6 else 1)  # odd months, art. 5.6
        record.contribution_months, amount = months, _round(2 * years * base)
    record.expected_on = record.received_on + datetime.timedelta(days=10)
    status = status or rng.choice([Status.PAID, Status.PAID, Status.APPROVED, Status.PROCESSING, Status.REJECTED])
    if status == Status.REJECTED:
        record.status = Status.REJECTED
        record.reject_reason = rng.choice([
            "Chưa đủ 12 tháng sau khi nghỉ việc mà không tiếp tục đóng BHXH.",
            "Hồ sơ thiếu sổ BHXH bản chính; vui lòng bổ sung và nộp lại.",
        ])
    elif status in (Status.PAID, Status.APPROVED):
        record.amount = amount
        _decided(rng, record, days_to_decide=rng.randrange(5, 10), paid=status == Status.PAID, today=today)
    else:
        record.status = status


def _pension(rng, record, base, today, birth, sex):
    record.start_date = record.received_on.replace(day=1) + datetime.timedelta(days=32)
    record.start_date = record.start_date.replace(day=1)
    record.contribution_months = rng.randrange(20 * 12, 36 * 12)
    years = record.contribution_months // 12
    rate = min(45 + 2 * (years - (20 if sex == 1 else 15)), 75)  # 45 % + 2 % a year over the threshold
    record.replacement_rate = rate
    record.monthly_amount = _round(base * rate / 100)
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


def _records_for(rng, person, agency, today, *, citizen=False) -> list[BenefitRecord]:
    base = rng.randrange(5_000_000, 25_000_001, 50_000)
    age = _age(person.birth_date, today)
    plans: list[tuple[str, int]] = []  # (kind, days before today the claim was received)
    if citizen:  # a monthly labour-accident allowance too: the procedures about monthly benefits open to him
        plans = [(Kind.SICKNESS, 140), (Kind.ACCIDENT, 420), (Kind.ONE_TIME, 4)]
    else:
        retired = age >= (61 if person.sex == 1 else 57)
        if retired:
            plans.append((Kind.PENSION, rng.randrange(30, 900)))
        if not retired and rng.random() < 0.6:
            plans.append((Kind.SICKNESS, rng.randrange(10, 700)))
        if person.sex == 2 and 20 <= age <= 42 and rng.random() < 0.35:
            plans.append((Kind.MATERNITY, rng.randrange(30, 700)))
        if not retired and age >= 22 and rng.random() < 0.2:
            plans.append((Kind.UNEMPLOYMENT, rng.randrange(30, 500)))
        if not retired and rng.random() < 0.05:
            plans.append((Kind.ACCIDENT, rng.randrange(30, 600)))
        if not retired and age >= 24 and rng.random() < 0.15:
            plans.append((Kind.ONE_TIME, rng.randrange(3, 600)))
        if not plans:
            plans.append((Kind.SICKNESS, rng.randrange(10, 700)))
    records = []
    for index, (kind, days_ago) in enumerate(plans, start=1):
        record = BenefitRecord(
            reference=f"{agency.code}.{person.bhxh_code}.{index:02d}", person=person, agency=agency, kind=kind,
            received_on=today - datetime.timedelta(days=days_ago), revision=1,
        )
        if kind == Kind.SICKNESS:
            _sickness(rng, record, base, today)
        elif kind == Kind.MATERNITY:
            _maternity(rng, record, base, today)
        elif kind == Kind.ONE_TIME:
            _one_time(rng, record, base, today, status=Status.PROCESSING if citizen else None)
        elif kind == Kind.PENSION:
            _pension(rng, record, base, today, person.birth_date, person.sex)
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
        records.extend(_records_for(rng, person, agency, today, citizen=citizen))
    existing = set(BenefitRecord.objects.filter(reference__in=[r.reference for r in records])
                   .values_list("reference", flat=True))
    new = [record for record in records if record.reference not in existing]
    for record in new:
        record.full_clean(exclude=["person", "agency"], validate_unique=False)
    with transaction.atomic():
        created = BenefitRecord.objects.bulk_create(new, batch_size=1000)
        BenefitEvent.objects.bulk_create(
            [BenefitEvent(record=record, revision=1, status=record.status, changes="Tạo từ dữ liệu mẫu.")
             for record in created], batch_size=1000)
    return f"{len(new)} hồ sơ hưởng mới, {len(existing)} đã có."
