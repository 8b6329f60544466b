"""Amounts in đồng, one rule for every app: an amount worked out to a fraction of a đồng is paid and
shown rounded to the nearest đồng, half a đồng up; an amount typed with digits too many is refused
naming the most it may be."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator
from django.utils.functional import lazy
from django.utils.translation import gettext


def round_vnd(value: Decimal) -> int:
    """`value` rounded to whole đồng, half up (1.5 → 2), as an int."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _at_most_message(label: str, most: int, per_month: bool = False) -> str:
    # Written 1.234.567 in either language, as the admin's amount boxes take it (vssid_portal.forms),
    # and not in the active language's format, so that a constraint's message is the same whatever
    # language its migration is written in.
    amounts = {"field": label, "most": f"{most:,}".replace(",", ".")}
    if per_month:
        return gettext("%(field)s không được lớn hơn %(most)s đ một tháng: kiểm tra lại số chữ số đã nhập.") % amounts
    return gettext("%(field)s không được lớn hơn %(most)s đ: kiểm tra lại số chữ số đã nhập.") % amounts


# Why an amount above `most` is refused, in the language of the page that shows it: "Tổng chi phí không
# được lớn hơn 100.000.000.000 đ: kiểm tra lại số chữ số đã nhập.", "… đ một tháng: …" `per_month`;
# `label` a lazy text, so that it follows the language too.
at_most_message = lazy(_at_most_message, str)


def amount_at_most(label: str, most: int, per_month: bool = False) -> MaxValueValidator:
    """The validator of an amount: not above `most`, saying so with `label` (at_most_message). A
    validator of the model's field, not a check of its clean(), so that the admin's form field takes
    no limit of its own (vssid_portal.forms.own_limits): it refused first whatever passed the
    column's range, naming 9.223.372.036.854.775.807 đ."""
    return MaxValueValidator(most, message=at_most_message(label, most, per_month))
