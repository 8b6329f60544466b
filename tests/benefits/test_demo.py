"""Demo benefit records: valid, plausible, the demo citizen's one-time and sickness records and
his monthly labour-accident allowance (so that the procedures about monthly benefits open to
him), deterministic for a seed, and a second run creates nothing."""

import io

import pytest
from django.core.management import call_command

from accounts.demo import seed_persons
from benefits import demo
from benefits.models import BenefitEvent, BenefitRecord

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
    assert citizen["bhxh_1lan"].status == "processing" and citizen["bhxh_1lan"].agency.code == "07901"
    assert citizen["om_dau"].status == "paid" and citizen["om_dau"].amount > 0
    assert len({r.kind for r in records}) >= 4

    out = io.StringIO()
    before = snapshot()
    call_command("seed_demo", persons=80, seed=7, stdout=out)
    assert "Thông tin hưởng: 0 hồ sơ hưởng mới" in out.getvalue()
    assert snapshot() == before


def test_same_seed_same_records(db):
    persons, _ = seed_persons(count=50, seed=3)
    demo.seed(persons=persons, seed=3)
    first = snapshot()
    BenefitEvent.objects.all().delete()
    BenefitRecord.objects.all().delete()
    assert demo.seed(persons=persons, seed=3) == f"{len(first)} hồ sơ hưởng mới, 0 đã có."
    assert snapshot() == first
    assert demo.seed(persons=persons, seed=3) == f"0 hồ sơ hưởng mới, {len(first)} đã có."

