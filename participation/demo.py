"""Deterministic demo participation histories for `manage.py seed_demo`.

Each person gets a working life from their early twenties to the month they reach retirement age:
employers in turn (with raises, gaps and, at an employer listed as in arrears, the last months still
owed), a voluntary stretch for some, and the BHTN (from 2009), BHTNLĐ-BNN (from 07/2016) and BHYT
periods that go with employment, or in a voluntary stretch the household BHYT on the base salary of
its months. (A pensioner's BHYT, paid by the BHXH fund, comes with the demo
pension: `pensioner_bhyt`.) A child
under six has BHYT paid by the state budget from the month of birth; an older minor has nothing yet.
Periods already present (same natural key) are left alone, so a second run creates nothing.
"""

import datetime
import random

from accounts.models import Person
from lookup.models import Agency, Employer, MedicalFacility
from vssid_portal.dates import add_months, age_on
from vssid_portal.money import BASE_SALARY, base_salary_on

from .models import Period

RATES = {Period.Kind.BHXH_COMPULSORY: 25, Period.Kind.BHXH_VOLUNTARY: 22, Period.Kind.BHTN: 2,
         Period.Kind.BHTNLD: "0.5", Period.Kind.BHYT: "4.5"}
JOBS = ["Công nhân may", "Kỹ sư phần mềm", "Kế toán viên", "Nhân viên kinh doanh", "Lái xe", "Giáo viên",
        "Điều dưỡng", "Thợ hàn", "Nhân viên văn phòng", "Quản lý kho", "Kỹ thuật viên điện"]
BHTN_START = datetime.date(2009, 1, 1)
BHTNLD_START = datetime.date(2016, 7, 1)
TODAY = datetime.date(2026, 10, 1)  # fixed, so the same seed gives the same data every year


def retirement_month(birth: datetime.date, sex: int) -> datetime.date:
    """The month a person reaches the normal retirement age (Labour Code 2019 art. 169, Decree
    135/2020): 60 years for men and 55 for women until 2020, then 3 months (men) or 4 months (women)
    more each year, up to 62 in 2028 and 60 in 2035."""
    start, step, top = (60 * 12, 3, 62 * 12) if sex == Person.Sex.MALE else (55 * 12, 4, 60 * 12)
    born = birth.year * 12 + birth.month - 1
    age = start
    while True:
        year = (born + age) // 12
        needed = start if year < 2021 else min(start + step * (year - 2020), top)
        if needed <= age:
            return datetime.date(year, (born + age) % 12 + 1, 1)
        age = needed


def pensioner_bhyt(person, *, first: datetime.date, pension: int, agency) -> Period | None:
    """The BHYT the BHXH fund pays for a pensioner (4.5 % of the pension), from the pension's first
    month to the end of the demo data; None when the pension starts after it."""
    if first > TODAY:
        return None
    return _period(person, Period.Kind.BHYT, first, TODAY, pension, payer=Period.Payer.FUND, agency=agency)


def _base_for(year: int, grade: float) -> int:
    """A plausible monthly salary for the year: ~3 million đồng in 2010, +7 % a year, by grade."""
    return int(round(3_000_000 * (1.07 ** (year - 2010)) * grade, -4))


def _period(person, kind, start, end, base, *, employer=None, payer=Period.Payer.EMPLOYER, job="", agency,
            facility=None, unpaid=0):
    rate = RATES[kind]
    period = Period(
        person=person, kind=kind, from_month=start, to_month=end, payer=payer, employer=employer, job_title=job,
        base=base, rate=rate, amount=int(base * float(rate) / 100), unpaid_months=unpaid, province_id=person.province_id,
        agency=agency, facility=facility if kind == Period.Kind.BHYT else None,
    )
    payer_key = employer.code if employer else payer
    period.import_key = f"{person.bhxh_code}|{kind}|{start:%Y-%m}|{payer_key}"
    return period


def _on_base_salary(person, start, end, *, payer, agency, facility) -> list[Period]:
    """The BHYT a household or the state budget pays: 4.5 % of the base salary of its months, one
    period from each change of the base salary (vssid_portal.money.BASE_SALARY) to the next."""
    periods, first = [], start
    while first <= end:
        change = min((since for since, _amount in BASE_SALARY if since > first), default=None)
        last = end if change is None else min(end, add_months(change, -1))
        periods.append(_period(person, Period.Kind.BHYT, first, last, base_salary_on(first), payer=payer,
                               agency=agency, facility=facility))
        first = add_months(last, 1)
    return periods


def _childhood(person, agencies, facilities) -> list[Period]:
    """A minor (no random numbers drawn, so the adults after them keep theirs): BHYT from the month of
    birth at the first facility of their province when under six, else nothing."""
    if age_on(person.birth_date, TODAY) >= 6:
        return []
    agency = agencies.get(person.province_id) or next(iter(agencies.values()))
    facility = (facilities.get(person.province_id) or [None])[0]
    return _on_base_salary(person, person.birth_date.replace(day=1), TODAY, payer=Period.Payer.STATE,
                           agency=person.agency or agency, facility=facility)


def _career(person, rng, employers, agencies, facilities) -> list[Period]:
    if age_on(person.birth_date, TODAY) < 18:
        return _childhood(person, agencies, facilities)
    periods = []
    local_employers = [e for e in employers if e.province_id == person.province_id] or employers
    home_agency = agencies.get(person.province_id) or next(iter(agencies.values()))
    facility = rng.choice(facilities.get(person.province_id) or [None])
    start = max(datetime.date(person.birth_date.year + rng.randint(20, 25), rng.randint(1, 12), 1),
                datetime.date(1995, 1, 1))
    grade = rng.uniform(0.9, 2.5)
    stop = min(TODAY, retirement_month(person.birth_date, person.sex))  # the last month of the working life
    while start < stop:
        length = rng.randint(14, 80)
        end = min(add_months(start, length - 1), stop)
        if rng.random() < 0.15:  # a stretch of voluntary contributions
            base = int(round(_base_for(start.year, 0.8), -4))
            periods.append(_period(person, Period.Kind.BHXH_VOLUNTARY, start, end, base, payer=Period.Payer.SELF,
                                   agency=home_agency))
            periods.extend(_on_base_salary(person, start, end, payer=Period.Payer.HOUSEHOLD, agency=home_agency,
                                           facility=facility))
        else:
            employer = rng.choice(local_employers)
            job = rng.choice(JOBS)
            # salary steps: a raise every couple of years within one employer
            step_start = start
            while step_start <= end:
                step_end = min(add_months(step_start, rng.randint(12, 30) - 1), end)
                base = _base_for(step_start.year, grade)
                # the months owed are those of an employer the reference data list as in arrears (the
                # public employer lookup says so), for every one of its current employees
                owed = rng.choice([0] * 12 + [1, 2, 3]) if step_end == TODAY else 0
                unpaid = (owed or 1) if step_end == TODAY and employer.in_arrears else 0
                for kind, begins in ((Period.Kind.BHXH_COMPULSORY, None), (Period.Kind.BHTN, BHTN_START),
                                     (Period.Kind.BHTNLD, BHTNLD_START), (Period.Kind.BHYT, None)):
                    first = max(step_start, begins) if begins else step_start
                    if first <= step_end:
                        periods.append(_period(person, kind, first, step_end, base, employer=employer, job=job,
                                               agency=employer.agency, facility=facility, unpaid=unpaid))
                step_start = add_months(step_end, 1)
                grade *= rng.uniform(1.0, 1.12)
        start = add_months(end, 1 + (rng.choice([0, 0, 0, 1, 3, 6, 14]) if end < stop else 0))
    return periods


def seed(*, persons, seed) -> str:
    rng = random.Random(f"participation-{seed}")
    employers = list(Employer.objects.select_related("agency").order_by("code"))
    agencies = {}
    for agency in Agency.objects.order_by("code"):
        agencies.setdefault(agency.province_id, agency)
    facilities = {}
    for facility in MedicalFacility.objects.filter(bhyt_contract=True).order_by("code"):
        facilities.setdefault(facility.province_id, []).append(facility)
    periods = [period for person in persons for period in _career(person, rng, employers, agencies, facilities)]
    before = Period.objects.count()
    Period.objects.bulk_create(periods, batch_size=2000, ignore_conflicts=True)  # natural key: no duplicates
    created = Period.objects.count() - before
    return f"{created} giai đoạn mới, {len(periods) - created} đã có"
