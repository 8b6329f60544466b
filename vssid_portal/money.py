"""Amounts in đồng, one rule for every app: an amount worked out to a fraction of a đồng is paid and
shown rounded to the nearest đồng, half a đồng up; an amount typed with digits too many is refused
naming the most it may be."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext


def round_vnd(value: Decimal) -> int:
    """`value` rounded to whole đồng, half up (1.5 → 2), as an int."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _at_most_message(label: str, most: int, per_month: bool = False) -> str:
    # `most` written as the portal writes money in the active language (vnd: 1.234.567 đ, in English
    # 1,234,567 VND), as every other amount of the same pages and messages is. With no language
    # active (makemigrations writes a constraint's message so: the sentence is then the Vietnamese
    # msgid), in Vietnamese, whatever LANGUAGE_CODE says: the format the migrations hold, not Django's
    # default 1,234,567 nor an English amount inside a Vietnamese sentence.
    from vssid_portal.templatetags.vn_format import vnd  # here: vnd rounds with round_vnd, imported from here

    with translation.override(translation.get_language() or "vi"):
        most_written = vnd(most)
    amounts = {"field": label, "most": most_written}
    if per_month:
        return gettext("%(field)s không được lớn hơn %(most)s một tháng: kiểm tra lại số chữ số đã nhập.") % amounts
    return gettext("%(field)s không được lớn hơn %(most)s: kiểm tra lại số chữ số đã nhập.") % amounts


# Why an amount above `most` is refused, in the language of the page that shows it: "Tổng chi phí không
# được lớn hơn 100.000.000.000 đ: kiểm tra lại số chữ số đã nhập." (in English "… 100,000,000,000 VND
# …"), "… đ một tháng: …" `per_month`;
# `label` a lazy text, so that it follows the language too.
at_most_message = lazy(_at_most_message, str)


def amount_at_most(label: str, most: int, per_month: bool = False) -> MaxValueValidator:
    """The validator of an amount: not above `most`, saying so with `label` (at_most_message). A
    validator of the model's field, not a check of its clean(), so that the admin's form field takes
    no limit of its own (vssid_portal.forms.own_limits): it refused first whatever passed the
    column's range, naming 9.223.372.036.854.775.807 đ."""
    return MaxValueValidator(most, message=at_most_message(label, most, per_month))
