"""How the audit trails of benefit records and visits write a field's change."""

import datetime

import pytest

from health_card.models import Visit
from lookup.models import MedicalFacility
from vssid_portal.audit import field_change, field_display


def test_a_change_reads_label_old_and_new_with_dates_money_and_choices():
    assert field_change(Visit, "admitted_on", datetime.date(2025, 3, 4), datetime.date(2025, 3, 5)) == (
        "ngày vào: 04/03/2025 → 05/03/2025")
    assert field_change(Visit, "total_cost", 500000, 1250000, money=("total_cost",)) == (
        "tổng chi phí (đồng): 500.000 đ → 1.250.000 đ")
    assert field_change(Visit, "kind", "ngoai_tru", None) == "hình thức điều trị: Ngoại trú → (trống)"


@pytest.mark.django_db
def test_a_related_object_is_named_and_a_vanished_one_keeps_its_id(reference_data):
    facility = MedicalFacility.objects.order_by("code").first()
    assert field_display(Visit, "facility_id", facility.pk) == str(facility)
    assert field_display(Visit, "facility_id", 10**9) == str(10**9)
