"""The admin's form fields in the portal's words (PortalFormFields): a number's limit written as the
portal writes numbers (a decimal with its comma), a date typed wrong told the format to type, in either language."""

from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connection, models
from django.test import RequestFactory
from django.utils import translation

from benefits.models import BenefitRecord
from health_card.admin.visits import VisitLineInline
from health_card.models import Visit, VisitLine
from lookup.models_support import NewsArticle
from vssid_portal.admin import PortalFormFields


def form_field(model, name: str):
    request = RequestFactory().get("/quan-tri/")
    return admin.site.get_model_admin(model).formfield_for_dbfield(model._meta.get_field(name), request)


def refusal(field, typed: str) -> list[str]:
    with pytest.raises(ValidationError) as error:
        field.clean(typed)
    return error.value.messages


@pytest.mark.parametrize("language, words, separator", [
    ("vi", "Nhập số không lớn hơn {}.", "."), ("en", "Enter a number no greater than {}.", ",")])
def test_a_number_past_its_column_is_refused_with_the_limit_written_as_numbers_are(db, language, words, separator):
    """Django's "Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 32767 ." (PostgreSQL's smallint) had no
    dots in its number and a space before its full stop."""
    most = connection.ops.integer_field_range("PositiveSmallIntegerField")[1]  # 32767 on PostgreSQL
    field = form_field(BenefitRecord, "days_off")
    with translation.override(language):
        assert refusal(field, "99999999999999999999") == [words.format(f"{most:,}".replace(",", separator))]


@pytest.mark.parametrize("language, words", [
    ("vi", ["Nhập số không nhỏ hơn 0,5."]), ("en", ["Enter a number no smaller than 0.5."])])
def test_a_decimal_past_its_limit_is_refused_with_the_limit_written_as_decimals_are(language, words):
    """Django's "Đảm bảo giá trị này là lớn hơn hoặc bằng với 0.5 ." wrote a decimal point, not the
    decimal comma of the portal's numbers, and put a space before the full stop."""
    class ModelFormFields:  # what PortalFormFields comes before in a model admin
        def formfield_for_dbfield(self, db_field, request, **kwargs):
            return db_field.formfield(**kwargs)

    db_field = models.DecimalField(max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.5"))])
    field = type("Admin", (PortalFormFields, ModelFormFields), {})().formfield_for_dbfield(db_field, None)
    with translation.override(language):
        assert refusal(field, "0.25") == words


@pytest.mark.parametrize("language, words", [
    ("vi", ["Nhập một ngày có thật theo dạng dd/mm/yyyy, ví dụ 25/12/2026."]),
    ("en", ["Enter a real date as dd/mm/yyyy, for example 25/12/2026."])])
def test_a_date_typed_wrong_is_told_the_format_to_type(db, language, words):
    field = form_field(BenefitRecord, "received_on")
    with translation.override(language):
        assert refusal(field, "12/31/2026") == words


def test_the_date_box_of_a_date_and_time_typed_wrong_is_told_the_format_to_type(db):
    field = form_field(NewsArticle, "published_at")
    assert refusal(field, ["12/31/2026", "08:00"]) == ["Nhập một ngày có thật theo dạng dd/mm/yyyy, ví dụ 25/12/2026."]


def test_a_money_field_leaves_its_limit_to_the_models_own_words(db):
    """A BigIntegerField's form field took the column's range, 9.223.372.036.854.775.807 đ, and refused
    first in words naming it; the model's own validator names the line's ceiling."""
    field = VisitLineInline(Visit, admin.site).formfield_for_dbfield(VisitLine._meta.get_field("unit_price"),
                                                                     RequestFactory().get("/quan-tri/"))
    assert isinstance(field, forms.IntegerField) and field.max_value is None
    assert field.clean("10.000.000.000.000.000.000") == 10**19
