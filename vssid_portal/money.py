"""Amounts in đồng, one rule for every app: an amount worked out to a fraction of a đồng is paid and
shown rounded to the nearest đồng, half a đồng up."""

from decimal import ROUND_HALF_UP, Decimal


def round_vnd(value: Decimal) -> int:
    """`value` rounded to whole đồng, half up (1.5 → 2), as an int."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
