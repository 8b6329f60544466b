"""Amounts in đồng, one rule for every app: an amount worked out to a fraction of a đồng is paid and
shown rounded to the nearest đồng, half a đồng up; an amount typed with digits too many is refused
naming the most it may be."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator


def round_vnd(value: Decimal) -> int:
    """`value` rounded to whole đồng, half up (1.5 → 2), as an int."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def at_most_message(label: str, most: int, per: str = "") -> str:
    """Why an amount above `most` is refused: "Tổng chi phí không được lớn hơn 100.000.000.000 đ: kiểm
    tra lại số chữ số đã nhập.", `per` after the đồng (" một tháng")."""
    written = f"{most:,}".replace(",", ".")
    return f"{label} không được lớn hơn {written} đ{per}: kiểm tra lại số chữ số đã nhập."


def amount_at_most(label: str, most: int, per: str = "") -> MaxValueValidator:
    """The validator of an amount: not above `most`, saying so with `label` (at_most_message). A
    validator of the model's field, not a check of its clean(), so that the admin's form field takes
    no limit of its own (vssid_portal.forms.own_limits): it refused first whatever passed the
    column's range, naming 9.223.372.036.854.775.807 đ."""
    return MaxValueValidator(most, message=at_most_message(label, most, per))
