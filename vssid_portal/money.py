"""Amounts in đồng, one rule for every app: an amount worked out to a fraction of a đồng is paid and
shown rounded to the nearest đồng, half a đồng up; an amount typed with digits too many is refused
naming the most it may be. And the one table of the base salary (mức lương cơ sở) by date."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext

# Mức lương cơ sở (before 07/2013 mức lương tối thiểu chung), from the day each applies, newest first:
# the base of the BHYT that households and the state budget pay (4.5 % of it) and of the 15 % under which
# a visit is paid in full (Law on Health Insurance art. 22). Decrees 38/2019, 24/2023 and 73/2024 for
# the last three; before 2019 as the decree of each raise set it.
BASE_SALARY = [
    (datetime.date(2024, 7, 1), 2_340_000), (datetime.date(2023, 7, 1), 1_800_000),
    (datetime.date(2019, 7, 1), 1_490_000), (datetime.date(2018, 7, 1), 1_390_000),
    (datetime.date(2017, 7, 1), 1_300_000), (datetime.date(2016, 5, 1), 1_210_000),
    (datetime.date(2013, 7, 1), 1_150_000), (datetime.date(2012, 5, 1), 1_050_000),
    (datetime.date(2011, 5, 1), 830_000), (datetime.date(2010, 5, 1), 730_000),
    (datetime.date(2009, 5, 1), 650_000), (datetime.date(2008, 1, 1), 540_000),
    (datetime.date(2006, 10, 1), 450_000), (datetime.date(2005, 10, 1), 350_000),
    (datetime.date(2003, 1, 1), 290_000), (datetime.date(2001, 1, 1), 210_000),
    (datetime.date(2000, 1, 1), 180_000), (datetime.date(1997, 1, 1), 144_000),
    (datetime.date(1993, 4, 1), 120_000),
]


def base_salary_on(day: datetime.date) -> int:
    """The base salary that applies on `day` (the earliest known before the table begins)."""
    return next((amount for since, amount in BASE_SALARY if day >= since), BASE_SALARY[-1][1])


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
