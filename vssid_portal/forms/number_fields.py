"""Numbers and amounts of money: `MoneyField`, typed as officers write an amount, and the limits of a
number field said as the portal writes numbers (`limits_in_words`, `own_limits`)."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..templatetags.vn_format import vn_number, vnd
from ..text import clean_text

# An amount as people write it: digits grouped by threes with dots, commas or spaces, one kind in
# an amount (1.234.567, 1,234,567, 1 234 567), or digits alone; "đ", "đồng" or "VND" after it.
_GROUPED_AMOUNT = re.compile(r"[0-9]{1,3}([., ])[0-9]{3}(?:\1[0-9]{3})*")
_CURRENCY = re.compile(r"\s*(?:đ|đồng|vnđ|vnd)$", re.IGNORECASE)


class _WordedLimit:
    """A limit of a number field that gives the limit as the portal writes numbers (32.767), or
    money (1.234.567 đ) with `written = vnd`: Django's own words ("Đảm bảo giá trị này là nhỏ hơn
    hoặc bằng với 32767 .") leave its digits ungrouped and a space before the full stop."""

    written = staticmethod(vn_number)

    def __call__(self, value):
        try:
            super().__call__(value)
        except ValidationError as error:
            raise ValidationError(self.message, code=self.code,
                                  params={**error.params, "limit_value": self.written(self.limit_value)}) from None


class _NumberAtLeast(_WordedLimit, MinValueValidator):
    message = _("Nhập số không nhỏ hơn %(limit_value)s.")


class _NumberAtMost(_WordedLimit, MaxValueValidator):
    message = _("Nhập số không lớn hơn %(limit_value)s.")


class _MoneyAtLeast(_WordedLimit, MinValueValidator):
    written = staticmethod(vnd)
    message = _("Số tiền không được nhỏ hơn %(limit_value)s.")


class _MoneyAtMost(_WordedLimit, MaxValueValidator):
    written = staticmethod(vnd)
    message = _("Số tiền không được lớn hơn %(limit_value)s.")


def _worded(validators: list, at_least: type, at_most: type) -> list:
    """`validators` with Django's own limits (MinValueValidator, MaxValueValidator) said in the portal's words."""
    limits = {MinValueValidator: at_least, MaxValueValidator: at_most}
    return [limits[type(validator)](validator.limit_value) if type(validator) in limits else validator
            for validator in validators]


def limits_in_words(field: forms.Field) -> forms.Field:
    """`field`, an integer or decimal form field (forms.DecimalField is an IntegerField), with its
    limits said as the portal writes numbers (32.767, 0,5)."""
    field.validators = _worded(field.validators, _NumberAtLeast, _NumberAtMost)
    return field


def own_limits(db_field) -> dict:
    """The `min_value` and `max_value` of the form field of a model's integer or decimal field `db_field`: the
    tightest of its limits said in Django's words (a bare MinValueValidator(1), or the range of the
    database's column that Django adds), which the form field then says in the portal's. A limit
    with the model's own message is left to the model, which says it ("Tổng chi phí không được lớn
    hơn 100.000.000.000 đ: …"): without this, a BigIntegerField's form field refused first
    whatever passed the column's range, in words naming 9.223.372.036.854.775.807 đ. A decimal
    field's limits, which its form field does not take by itself, were said by the model in Django's
    words ("… lớn hơn hoặc bằng với 1 .")."""
    if not isinstance(db_field, (models.IntegerField, models.DecimalField)):
        return {}
    found = {"min_value": [], "max_value": []}
    for validator in db_field.validators:
        if type(validator) in (MinValueValidator, MaxValueValidator) and not callable(validator.limit_value):
            if validator.message == type(validator).message:  # Django's words, not the model's own
                found["min_value" if type(validator) is MinValueValidator else "max_value"].append(
                    validator.limit_value)
    return {"min_value": max(found["min_value"], default=None), "max_value": min(found["max_value"], default=None)}


class MoneyField(forms.IntegerField):
    """A whole number of đồng as officers type it (see _GROUPED_AMOUNT), shown grouped with dots as
    the portal writes money (1.234.567). Anything else, a decimal comma included ("1,5"), gets
    the integer field's message.

    The field's own limits carry their messages, not its error_messages: a model form gives a
    model validator's error the field's message of the same code, which would replace the model's
    own words ("Tổng chi phí không được lớn hơn …") with the field's."""

    default_error_messages = {
        "invalid": _("Nhập số tiền bằng chữ số, không có phần lẻ, ví dụ 1.234.567."),
    }

    def __init__(self, **kwargs):
        # The portal holds no negative amount: refused here in its words, before a model's bare
        # MinValueValidator(0) answers in Django's.
        kwargs["min_value"] = max(kwargs.get("min_value") or 0, 0)
        # Always typed as text: a number input (the admin's own for integer columns) refuses "1.234.567".
        super().__init__(**{**kwargs, "widget": forms.TextInput(attrs={"inputmode": "numeric"})})
        self.validators = _worded(self.validators, _MoneyAtLeast, _MoneyAtMost)

    def prepare_value(self, value):
        return f"{value:,}".replace(",", ".") if isinstance(value, int) and not isinstance(value, bool) else value

    def to_python(self, value):
        if isinstance(value, str):
            typed = _CURRENCY.sub("", unicodedata.normalize("NFKC", clean_text(value)).strip())
            value = typed.replace(typed[-4], "") if _GROUPED_AMOUNT.fullmatch(typed) else typed
        return super().to_python(value)
