"""Demo benefit records: valid, plausible, following the participation history (a pension or a
one-time BHXH benefit counts the months contributed before it, and nothing is contributed after a
pension starts or while a one-time claim waits), the demo citizen's refused one-time claim, sickness
record and monthly labour-accident allowance (so that the procedures about monthly benefits open to
him), deterministic for a seed, and a second run creates nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import seed_persons
from benefits import demo
from benefits.estimator import contributed_months
from benefits.models import BenefitEvent, BenefitRecord
from benefits.selectors import contributions_of, one_time_estimate_for
from participation import demo as participation_demo
from participation.demo import retirement_month
from participation.models import Period
from vssid_portal.dates import month_ordinal

pytestmark = pytest.mark.usefixtures("reference_data")
FIELDS = ("reference", "person__bhxh_code", "kind", "status", "agency__code", "received_on", "amount", "monthly_amount",
          "days_off", "child_birth_date", "allowance_months", "impairment_percent", "contribution_months")


def snapshot():
    return list(BenefitRecord.objects.order_by("reference").values_list(*FIELDS))


def test_seed_demo_adds_valid_benefit_records_for_some_persons(db):
    out = io.StringIO()
    call_command("seed_demo", persons=80, seed=7, stdout=out)
    assert "Thông tin hưởng: " in out.getvalue()
    records = BenefitRecord.objects.select_related("person", "agency")
    people = {r.person_id for r in records}
    assert 8 <= len(people) <= 40  # a fraction of the 80 persons
    for obj in records:
        obj.full_clean()
        assert obj.agency.province_id == obj.person.province_id
        assert BenefitEvent.objects.filter(record=obj, revision=1).exists()
    citizen = {r.kind: r for r in records if r.person.bhxh_code == "7901234567"}
    assert set(citizen) == {"bhxh_1lan", "om_dau", "tnld_bnn"}
    assert citizen["tnld_bnn"].monthly_amount > 0 and citizen["tnld_bnn"].status == "paid"
    assert citizen["bhxh_1lan"].status == "rejected" and citizen["bhxh_1lan"].agency.code == "07901"
    assert citizen["bhxh_1lan"].reject_reason == demo.NOT_YET_12_MONTHS
    assert citizen["om_dau"].status == "paid" and citizen["om_dau"].amount > 0
    assert len({r.kind for r in records}) >= 4

    out = io.StringIO()
    before = snapshot()
    call_command("seed_demo", persons=80, seed=7, stdout=out)
    assert "Không có người tham gia mới: hồ sơ của những người đã có giữ nguyên." in out.getvalue()
    assert snapshot() == before


def test_same_seed_same_records(db):
    persons, _ = seed_persons(count=50, seed=3)
    participation_demo.seed(persons=persons, seed=3)
    demo.seed(persons=persons, seed=3)
    first = snapshot()
    BenefitEvent.objects.all().delete()
    BenefitRecord.objects.all().delete()
    assert demo.seed(persons=persons, seed=3) == f"{len(first)} hồ sơ hưởng mới, 0 đã có."
    assert snapshot() == first
    assert demo.seed(persons=persons, seed=3) == f"0 hồ sơ hưởng mới, {len(first)} đã có."



def _bhxh_months(person) -> list[int]:
    """The months the person contributed BHXH (compulsory or voluntary), as ordinals, in order."""
    return sorted(contributed_months(contributions_of(Period.objects.filter(person=person, kind__in=demo.BHXH_KINDS))))


def test_records_follow_the_participation_history(db):
    persons, _ = seed_persons(count=300, seed=2026)
    participation_demo.seed(persons=persons, seed=2026)
    demo.seed(persons=persons, seed=2026)
    today = timezone.localdate()
    pensions = BenefitRecord.objects.filter(kind="huu_tri").select_related("person")
    one_time = BenefitRecord.objects.filter(kind="bhxh_1lan").exclude(person__bhxh_code=demo.DEMO_CITIZEN_CODE)
    assert pensions.count() >= 3 and one_time.filter(status="paid").count() >= 2
    for record in pensions:
        months = _bhxh_months(record.person)
        start = month_ordinal(record.start_date)
        # From the month after the person reached retirement age, when their contributions stopped.
        assert start == month_ordinal(retirement_month(record.person.birth_date, record.person.sex)) + 1
        assert months[-1] < start and record.received_on <= today
        assert record.contribution_months == len(months) >= (180 if record.start_date >= demo.LAW_2024 else 240)
        assert record.replacement_rate == demo.pension_rate(len(months), record.person.sex, record.start_date)
        assert record.status == "paid" and record.monthly_amount > 0
        bhyt = Period.objects.filter(person=record.person, kind="bhyt", payer="fund")
        assert [p.from_month for p in bhyt] == ([record.start_date] if record.start_date <= participation_demo.TODAY else [])
    for record in one_time.select_related("person"):
        months = _bhxh_months(record.person)
        received = month_ordinal(record.received_on)
        before = [m for m in months if m < received]
        # 12 months without contributions before the claim, and none until it is settled.
        assert before and before[-1] + 12 < received
        assert len(before) < 240  # Law 41/2024 art. 70.1.d: under 20 years
        if record.status != "rejected":
            assert not [m for m in months if received <= m <= month_ordinal(record.paid_on or today)]
        if record.status in ("approved", "paid"):
            assert record.contribution_months == len(before)
            settled = one_time_estimate_for(person=record.person)
            assert settled.settlement.record == record
            assert settled.result.months_total == len(months) - len(before)


@pytest.mark.parametrize("seeded_on", [None, datetime.date(2027, 12, 31), datetime.date(2028, 2, 29)])
def test_the_demo_citizen_still_contributes_when_his_one_time_claim_is_refused(db, monkeypatch, seeded_on):
    """Refused as filed before 12 months without contributions, on whatever day the demo is seeded,
    though the history it follows ends on a fixed day (participation.demo.TODAY)."""
    if seeded_on:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: seeded_on)
    persons, _ = seed_persons(count=3, seed=2026)
    participation_demo.seed(persons=persons, seed=2026)
    demo.seed(persons=persons, seed=2026)
    claim = BenefitRecord.objects.get(person__bhxh_code=demo.DEMO_CITIZEN_CODE, kind="bhxh_1lan")
    last = _bhxh_months(claim.person)[-1]
    assert claim.status == "rejected" and month_ordinal(claim.received_on) - last <= 12


@pytest.mark.parametrize("seeded_on", [None, datetime.date(2027, 12, 31), datetime.date(2028, 2, 29),
                                       datetime.date(2031, 6, 30)])
def test_the_demo_citizens_sick_days_and_accident_fall_in_months_he_contributed(db, monkeypatch, seeded_on):
    """His sickness and labour-accident records follow his history, which ends on a fixed day
    (participation.demo.TODAY), on whatever day the demo is seeded."""
    if seeded_on:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: seeded_on)
    persons, _ = seed_persons(count=3, seed=2026)
    participation_demo.seed(persons=persons, seed=2026)
    demo.seed(persons=persons, seed=2026)
    records = BenefitRecord.objects.filter(person__bhxh_code=demo.DEMO_CITIZEN_CODE)
    sickness, accident = records.get(kind="om_dau"), records.get(kind="tnld_bnn")
    months = set(_bhxh_months(sickness.person))
    sick_days = [sickness.start_date + datetime.timedelta(days=day) for day in range(sickness.days_off)]
    assert {month_ordinal(day) for day in sick_days} <= months
    assert month_ordinal(accident.event_date) in months
    assert sickness.received_on > sick_days[-1] and accident.received_on > accident.event_date


@pytest.mark.parametrize("months, sex, start, rate", [
    (352, 1, datetime.date(2026, 10, 1), "64"),  # 29 years 4 months: 29.5 years, 45 % + 2 % × 9.5
    (347, 1, datetime.date(2026, 10, 1), "63"),  # 28 years 11 months: 29 years
    (180, 1, datetime.date(2026, 10, 1), "40"),  # a man with 15 years, from 07/2025
    (198, 1, datetime.date(2026, 10, 1), "41.5"),  # 16 years 6 months: 16.5 years
    (180, 2, datetime.date(2026, 10, 1), "45"),
    (240, 1, datetime.date(2020, 2, 1), "49"),  # 2020: 45 % for 18 years
    (252, 2, datetime.date(2016, 6, 1), "63"),  # before 2018: 3 % a year for a woman
    (600, 2, datetime.date(2026, 10, 1), "75"),
])
def test_the_pension_rate_follows_the_months(months, sex, start, rate):
    from decimal import Decimal

    assert demo.pension_rate(months, sex, start) == Decimal(rate)


@pytest.mark.parametrize(("value", "rounded"), [(12_250, 12_300), (12_350, 12_400), (12_249.9, 12_200),
                                                (1_755_000.0, 1_755_000)])
def test_demo_amounts_are_rounded_to_the_hundred_half_up(value, rounded):
    """The portal's one rounding rule (round_vnd), in steps of 100 đ: 12.250 đ is 12.300 đ, not
    12.200 đ by half to even."""
    assert demo._round(value) == rounded
