"""Demo BHYT cards (called by demo.py): one for each demo person with BHYT participation, drawn
from their latest BHYT period (facility, agency, payer → beneficiary group). The demo citizen
7901234567 always gets an active card. A person who already has a card is left alone."""

import datetime
import random

from django.utils import timezone

from lookup.models import MedicalFacility
from participation.selectors import TABS_BY_SLUG, Payer, periods_by_person

from .beneficiary_data import load
from .models import BeneficiaryGroup, BenefitLevel, Card
from .models.card import add_years
from .selectors import child_card_valid_to
from .services import card_issue, cards_expire

DEMO_CITIZEN_CODE = "7901234567"
GROUP_BY_PAYER = {Payer.EMPLOYER: "DN", Payer.SELF: "GD", Payer.HOUSEHOLD: "GD", Payer.STATE: "HN", Payer.FUND: "HT"}


def seed(*, persons, seed) -> str:
    load(BenefitLevel, BeneficiaryGroup)
    rng = random.Random(seed)
    today = timezone.localdate()
    groups = {group.code: group for group in BeneficiaryGroup.objects.select_related("level")}
    with_card = set(Card.objects.filter(person__in=persons).values_list("person_id", flat=True))
    periods = periods_by_person(persons=persons, kinds=TABS_BY_SLUG["bhyt"].kinds)
    data_end = max((p[-1].to_month for p in periods.values()), default=today)
    fallback = {}
    created = 0
    for person in persons:
        bhyt = periods.get(person.pk)
        if person.pk in with_card or not bhyt:
            continue
        latest = bhyt[-1]
        facility = latest.facility
        if facility is None:
            province = latest.agency.province_id
            if province not in fallback:
                fallback[province] = MedicalFacility.objects.filter(province_id=province, bhyt_contract=True).order_by("code").first()
            facility = fallback[province] or MedicalFacility.objects.filter(bhyt_contract=True).order_by("code").first()
        age = (today - person.birth_date).days // 365
        code = "TE" if age < 6 else GROUP_BY_PAYER.get(latest.payer, "GD")
        # Still covered when the period runs to the end of the demo data (participation's fixed "today").
        current = person.bhxh_code == DEMO_CITIZEN_CODE or latest.to_month >= data_end
        valid_from = max(latest.from_month, add_years(today, -1).replace(day=1)) if current else latest.from_month
        if valid_from > today:
            valid_from = today.replace(day=1)
        if current and code == "TE":
            valid_to = child_card_valid_to(person.birth_date)
        elif current:
            valid_to = None if code in {"DN", "HT"} else datetime.date(today.year, 12, 31)
        else:
            month_after = (latest.to_month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            valid_to = month_after - datetime.timedelta(days=1)
        card_issue(
            person=person, group=groups[code], facility=facility, agency=latest.agency, valid_from=valid_from,
            valid_to=valid_to, issued_on=valid_from, living_area=rng.choice([""] * 18 + ["K1", "K2"]), reason="Cấp mới",
            notify=False,
        )
        created += 1
    cards_expire(today=today)  # the cards of past periods, as the nightly task marks them
    return f"{created} thẻ BHYT mới" if created else ""
