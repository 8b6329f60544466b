"""Builders for participation tests."""

import datetime

from django.utils import timezone

from lookup.models import Agency, Employer, Province
from participation.models import Period


def month(text: str) -> datetime.date:
    """'03/2014' → date(2014, 3, 1)."""
    m, y = text.split("/")
    return datetime.date(int(y), int(m), 1)


def months_from_now(count: int) -> str:
    """The month `count` months from today's, as mm/yyyy."""
    today = timezone.localdate()
    ordinal = today.year * 12 + today.month - 1 + count
    return f"{ordinal % 12 + 1:02d}/{ordinal // 12}"


def period(person, start, end, *, kind=Period.Kind.BHXH_COMPULSORY, base=10_000_000, unpaid=0, employer_code=None,
           payer=None, agency_code="07901", save=True):
    employer = Employer.objects.get(code=employer_code) if employer_code else (
        None if payer else Employer.objects.filter(agency__code=agency_code).order_by("code").first())
    p = Period(
        person=person, kind=kind, from_month=month(start), to_month=month(end),
        payer=payer or Period.Payer.EMPLOYER, employer=employer, base=base, rate=25, amount=base // 4,
        unpaid_months=unpaid, province=Province.objects.get(code="79"), agency=Agency.objects.get(code=agency_code),
    )
    p.import_key = p.natural_key()
    if save:
        p.save()
    return p


def monthly_periods(person, first_ordinal: int, count: int) -> None:
    """One single-month period per month from month ordinal `first_ordinal` (year * 12 + month - 1)."""
    rows = []
    for ordinal in range(first_ordinal, first_ordinal + count):
        text = f"{ordinal % 12 + 1:02d}/{ordinal // 12}"
        rows.append(period(person, text, text, base=5_000_000 + ordinal, save=False))
    Period.objects.bulk_create(rows)
