"""Dates as people type them (`DayMonthYearField`), a birth date or year (`DateOrYearField`,
`validate_birth_date`)."""

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..text import clean_text
from .refusals import named

EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def validate_birth_date(value: datetime.date | int) -> None:
    """A birth date from 01/01/1900 to today, or a birth year (DateOrYearField) from 1900 to this
    year: any other names nobody, and a form that takes it would check or search in vain."""
    today = timezone.localdate()
    if isinstance(value, int):
        if value > today.year:
            raise ValidationError(_("Năm sinh không được sau năm nay."), code="future")
        if value < EARLIEST_BIRTH_DATE.year:
            raise ValidationError(_("Năm sinh phải từ năm 1900 trở về sau."), code="too_early")
    elif value > today:
        raise ValidationError(_("Ngày sinh không được sau ngày hôm nay."), code="future")
    elif value < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("Ngày sinh phải từ ngày 01/01/1900 trở về sau."), code="too_early")


# Day, month and year as people write them: with slashes, or with dashes or dots as many do
# (15-03-1988, 15.03.1988); a field shows and stores a date with slashes.
DAY_MONTH_YEAR_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
_DATE_SHAPE = re.compile(r"[0-9]{1,2}([/.-])[0-9]{1,2}\1[0-9]{4}")
# Or two digits of day, two of month and four of year one after the other (15031988): a date box
# brings up a phone's number pad (inputmode numeric), which on an iPhone has no slash, dash or dot.
_DIGITS_ONLY_DATE = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4})")


# What a date typed wrong is told, where the format is not said beside the box (the admin's date
# fields): Django's "Nhập một ngày hợp lệ." says neither the order of day and month nor the separator.
DATE_FORMAT_ERROR = _("Nhập một ngày có thật theo dạng dd/mm/yyyy, ví dụ 25/12/2026.")


class DayMonthYearField(forms.DateField):
    """A date typed as day/month/year (25/12/1990, or 25-12-1990, 25.12.1990 and 25121990 on a phone's
    number pad), fullwidth digits read as ASCII and other scripts' digits refused. A value of that shape naming no day of the calendar (31/02/1988,
    29/02/2023, 12/13/1990) is told so, quoting what was typed; any other value gets the field's
    "invalid" message, which says the shape to type."""

    default_error_messages = {
        "nonexistent": _("Ngày %(value)s không có thật. Kiểm tra lại ngày, tháng."),
    }

    def __init__(self, *, input_formats=None, widget=None, **kwargs):
        super().__init__(
            input_formats=input_formats or DAY_MONTH_YEAR_FORMATS,
            widget=widget or forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"}),
            **kwargs,
        )
        if self.label and "nonexistent" not in (kwargs.get("error_messages") or {}):
            # The same impossible date typed in two date fields (an authorisation's start and end)
            # would otherwise be the same sentence twice in the error summary.
            self.error_messages["nonexistent"] = named(self.label, self.error_messages["nonexistent"])

    def to_python(self, value):
        if isinstance(value, str):  # without invisible characters pasted with it, fullwidth digits as ASCII
            value = unicodedata.normalize("NFKC", clean_text(value))
            if not value.isascii():  # other scripts' digits, which strptime would take
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            if digits := _DIGITS_ONLY_DATE.fullmatch(value.strip()):
                value = "/".join(digits.groups())
        try:
            return super().to_python(value)
        except ValidationError as error:
            typed = value.strip() if isinstance(value, str) else ""
            if error.code == "invalid" and _DATE_SHAPE.fullmatch(typed):
                raise ValidationError(self.error_messages["nonexistent"], code="nonexistent",
                                      params={"value": typed}) from error
            raise


class DateOrYearField(DayMonthYearField):
    """A birth date as dd/mm/yyyy, or the year alone (yyyy) where a record holds only the year (the
    registry, a card): a year comes out as an int, so that it never passes for a full date. Either
    must be a possible birth date (validate_birth_date)."""

    default_validators = [validate_birth_date]

    def to_python(self, value):
        typed = unicodedata.normalize("NFKC", clean_text(value)).strip() if isinstance(value, str) else ""
        if re.fullmatch(r"[0-9]{4}", typed) and int(typed) > 0:
            return int(typed)
        return super().to_python(value)
