"""Display formats: money in VND (`1.234.567 đ`; in English `1,234,567 VND`), other numbers
(`1.234,5`; in English `1,234.5`), percentages (`10,5 %`, as the portal's Vietnamese texts write
one; in English `10.5%`), dates (`dd/mm/yyyy`), times (`dd/mm/yyyy HH:MM`, local; in a
sentence `HH:MM ngày dd/mm/yyyy`) and a phone number with most digits hidden.

Numbers take the separators of the active language (Django's locale formats): to an English
reader "1,5" is not one and a half. Documents and messages are rendered under Vietnamese
(vssid_portal.pdf, notifications.services), so they keep `1.234.567 đ`.

Dates are written with a four-digit year whatever the year: `strftime("%Y")` leaves years
before 1000 unpadded on Linux ("01/01/900"), which `%d/%m/%Y` cannot read back."""

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats, timezone
from django.utils.translation import pgettext

from vssid_portal.money import round_vnd

register = template.Library()


def _grouped(whole: int) -> str:
    return f"{whole:,}".replace(",", formats.get_format("THOUSAND_SEPARATOR"))


@register.filter
def vnd(value):
    """1234567 → '1.234.567 đ', in English '1,234,567 VND' (rounded to the đồng by the portal's one
    rule, round_vnd: 4914010.5 → '4.914.011 đ', the amount a sum or an average worked out from it
    uses; negative amounts keep their sign). What is not a number ("abc") shows nothing; a NaN or an
    infinity is a number worked out wrong before it came here, and raises ValueError rather than be
    shown as a blank amount on a benefit page or a document."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    if not number.is_finite():
        raise ValueError(f"vnd: an amount that is no finite number: {value!r}")
    amount = round_vnd(number)
    sign = "-" if amount < 0 else ""
    return pgettext("money", "%(amount)s đ") % {"amount": f"{sign}{_grouped(abs(amount))}"}


@register.filter
def vn_number(value):
    """A number without trailing zeros, in the active language's separators: 6.5 → '6,5',
    1234.50 → '1.234,5', 2.0 → '2' (in English '6.5', '1,234.5', '2'); '' for what is not a number."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    if not number.is_finite():
        return ""
    whole, _, fraction = format(number.normalize(), "f").partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = _grouped(int(whole.lstrip("-") or 0))
    return f"{sign}{whole}{formats.get_format('DECIMAL_SEPARATOR')}{fraction}" if fraction else f"{sign}{whole}"


@register.filter
def vn_percent(value):
    """A percentage as the active language writes one: its number as vn_number writes it and the sign
    after it, spaced as the portal's Vietnamese texts write it ("10,5 %", "80 %") and unspaced in
    English ("10.5%", "80%"); '' for what is not a number."""
    number = vn_number(value)
    if not number:
        return ""
    return pgettext("percentage", "%(number)s %%") % {"number": number}


@register.filter
def plural_count(value):
    """The count that picks the form of the noun after a number (`{% blocktranslate count %}`):
    gettext counts whole numbers only, and a number with a fraction takes the form of many ("1.5
    years", "0.5 years"), as every whole number but 1 does, so it counts as its digits: 1.5 → 15;
    2.0 → 2."""
    try:
        number = Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return 0
    if not number.is_finite():
        return 0
    if number == number.to_integral_value():
        return int(number)
    return int(format(abs(number), "f").replace(".", ""))


@register.filter
def vn_date(value, year_only=False):
    """A date as dd/mm/yyyy; an aware datetime is shown in local time; `year_only` shows yyyy."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if not isinstance(value, datetime.date):
        return ""
    if year_only:
        return f"{value.year:04d}"
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


@register.filter
def vn_datetime(value):
    """An aware datetime as 'dd/mm/yyyy HH:MM' in local time."""
    if not isinstance(value, datetime.datetime):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{vn_date(value)} {value.hour:02d}:{value.minute:02d}"


@register.filter
def vn_time_date(value):
    """An aware datetime in a sentence, in local time: 'HH:MM ngày dd/mm/yyyy', the order in which
    Vietnamese says when ("lúc 14:05 ngày 22/11/2026"); in English 'HH:MM on dd/mm/yyyy'."""
    if not isinstance(value, datetime.datetime):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return pgettext("time, then date", "%(time)s ngày %(date)s") % {
        "time": f"{value.hour:02d}:{value.minute:02d}", "date": vn_date(value)}


@register.filter
def masked_phone(phone):
    """A phone number with all but its last 3 digits hidden: '0912345678' → '0••• ••• 678'."""
    national = getattr(phone, "as_national", None) or str(phone or "")
    digits = "".join(ch for ch in national if ch.isdigit())
    if len(digits) < 4:
        return ""
    return f"{digits[0]}••• ••• {digits[-3:]}"
