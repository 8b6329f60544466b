"""Display formats (numbers in the active language's separators) and the accent-folded search key."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from vssid_portal.forms import MoneyField
from vssid_portal.templatetags.vn_format import (
    plural_count,
    vn_date,
    vn_datetime,
    vn_number,
    vn_percent,
    vn_time_date,
    vnd,
)
from vssid_portal.text import fold, normalize_name, search_words


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1234567, "1.234.567 đ"), (0, "0 đ"), (Decimal("11531338.4"), "11.531.338 đ"), (-50000, "-50.000 đ"),
     ("2340000", "2.340.000 đ"), (None, ""), ("abc", "")],
)
def test_vnd(value, shown):
    assert vnd(value) == shown


@pytest.mark.parametrize("value", [float("nan"), Decimal("NaN"), "Infinity", float("-inf")])
def test_vnd_raises_for_a_number_that_is_no_amount(value):
    """A NaN or an infinity is no amount typed but one worked out wrong before (a sum of floats gone
    bad): shown blank, a benefit page or a declaration would hide the bug behind a missing amount."""
    with pytest.raises(ValueError):
        vnd(value)


@pytest.mark.parametrize(("value", "shown"), [(Decimal("4914010.5"), "4.914.011 đ"), (Decimal("2.5"), "3 đ"),
                                              ("0.5", "1 đ"), (Decimal("-2.5"), "-3 đ")])
def test_vnd_rounds_half_a_dong_up_as_the_amounts_worked_out_are(value, shown):
    """An amount shown is the amount a sum or an average worked out from it uses (round_vnd): a row
    of 4.680.010 đ × 1,05 shows 4.914.011 đ, not 4.914.010 đ by half to even."""
    assert vnd(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("6.5"), "6,5"), (1.41, "1,41"), (2.0, "2"), (Decimal("1234.50"), "1.234,5"), (-1500, "-1.500"),
     ("0.5", "0,5"), (None, ""), ("abc", ""), (float("nan"), ""), ("Infinity", "")],
)
def test_vn_number(value, shown):
    """One number format for the benefit pages, the chart's table, visit quantities and statements."""
    assert vn_number(value) == shown


@pytest.mark.parametrize(
    ("value", "money", "number"),
    [(1234567, "1,234,567 VND", "1,234,567"), (Decimal("13980000.4"), "13,980,000 VND", "13,980,000.4"),
     (-50000, "-50,000 VND", "-50,000"), (Decimal("1.5"), "2 VND", "1.5"), (1.41, "1 VND", "1.41"),
     ("1234.75", "1,235 VND", "1,234.75"), (None, "", "")],
)
def test_english_pages_write_numbers_the_english_way(value, money, number):
    """To an English reader '1,5' is not one and a half, nor '13.980.000' thirteen million."""
    with translation.override("en"):
        assert (vnd(value), vn_number(value)) == (money, number)
    with translation.override("vi"):  # what documents and messages are rendered under
        assert vnd(value) == money.replace(",", ".").replace("VND", "đ")
        assert vn_number(value) == number.translate(str.maketrans(",.", ".,"))


@pytest.mark.parametrize("value", [Decimal("10.50"), 80, "0.5", Decimal("1234.5"), -3])
def test_a_percentage_is_its_number_as_the_language_writes_numbers_with_the_sign_as_its_texts_write_it(value):
    """Vietnamese texts write "10,5 %", English ones "10.5%": the number in the language's separators
    (vn_number), the sign after it spaced in Vietnamese and not in English."""
    with translation.override("vi"):
        assert vn_percent(value) == f"{vn_number(value)} %"
    with translation.override("en"):
        assert vn_percent(value) == f"{vn_number(value)}%"


@pytest.mark.parametrize("value", [None, "", "abc", float("nan")])
def test_what_is_no_number_shows_no_percentage(value):
    for language in ("vi", "en"):
        with translation.override(language):
            assert vn_percent(value) == ""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_amount_fields_example_is_an_amount_written_the_way_of_the_language_that_the_field_takes(language):
    """The message of an amount typed wrong shows how to type one: in English "1,234,567", which
    the field takes as it takes "1.234.567"; "1.234.567" reads as a decimal to an English reader."""
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            MoneyField().clean("1,5")
        example = re.search(r"\d[\d.,]*\d", refused.value.messages[0]).group()
        assert example == vn_number(1234567)
    assert MoneyField().clean(example) == 1234567


@pytest.mark.parametrize(("value", "count"), [
    (1, 1), (Decimal("1.0"), 1), (Decimal("2"), 2), (Decimal("1.5"), 15), ("0.5", 5), (0, 0), ("abc", 0),
])
def test_plural_count_is_a_whole_number_that_gives_a_fraction_the_plural(value, count):
    assert plural_count(value) == count
    with translation.override("en"):  # "1 year", "1.5 years", "0.5 years"
        years = Template("{% load i18n vn_format %}{% blocktranslate count years=value|plural_count %}{{ years }} năm"
                         "{% plural %}{{ years }} năm{% endblocktranslate %}").render(Context({"value": value}))
        assert years.endswith("year" if count == 1 else "years")


def test_dates_are_dd_mm_yyyy_in_local_time():
    assert vn_date(datetime.date(1988, 3, 5)) == "05/03/1988"
    assert vn_date(datetime.date(1988, 1, 1), True) == "1988"
    late_utc = datetime.datetime(2026, 11, 21, 18, 30, tzinfo=ZoneInfo("UTC"))
    assert vn_date(late_utc) == "22/11/2026"  # 01:30 next day in Hồ Chí Minh City
    assert vn_datetime(late_utc) == "22/11/2026 01:30"
    assert vn_date(None) == ""


def test_a_moment_in_a_sentence_is_time_then_date():
    """"lúc 01:30 ngày 22/11/2026", the order in which Vietnamese says when; in English "at 01:30 on …"."""
    late_utc = datetime.datetime(2026, 11, 21, 18, 30, tzinfo=ZoneInfo("UTC"))
    assert vn_time_date(late_utc) == "01:30 ngày 22/11/2026"
    with translation.override("en"):
        assert vn_time_date(late_utc) == "01:30 on 22/11/2026"
    assert vn_time_date(None) == "" and vn_time_date(datetime.date(2026, 11, 22)) == ""


@pytest.mark.parametrize(("value", "shown"), [
    (datetime.date(900, 1, 1), "01/01/0900"), (datetime.date(1, 2, 3), "03/02/0001"),
    (datetime.date(9999, 12, 31), "31/12/9999"),
])
def test_dates_always_have_a_four_digit_year_that_reads_back(value, shown):
    # strftime("%Y") writes year 900 as "900" on Linux, which "%d/%m/%Y" does not parse again.
    assert vn_date(value) == shown
    assert datetime.datetime.strptime(vn_date(value), "%d/%m/%Y").date() == value
    assert vn_date(value, True) == shown[-4:]
    assert vn_datetime(datetime.datetime(value.year, value.month, value.day, 7, 5)) == f"{shown} 07:05"


def test_filters_work_in_templates():
    html = Template("{% load vn_format %}{{ a|vnd }} {{ d|vn_date }} {{ r|vn_percent }}").render(
        Context({"a": 1774052, "d": datetime.date(2026, 7, 1), "r": Decimal("10.50")})
    )
    assert html == "1.774.052 đ 01/07/2026 10,5 %"


@pytest.mark.parametrize(
    ("name", "key"),
    [("Nguyễn Văn Đức", "nguyen van duc"), ("  TRẦN   thị  Ánh ", "tran thi anh"), ("Đặng Hữu Phước", "dang huu phuoc"),
     ("Nguye\u0302\u0303n Văn An", "nguyen van an")],
)
def test_accent_folded_search_key(name, key):
    assert fold(name) == key


@pytest.mark.parametrize(("query", "words"), [
    ("79 - T04", ["79", "t04"]), ("Phú Nhuận, (07909)", ["phu", "nhuan", "07909"]), ("- – … ?", []),
    ("0301234567-001 12/3", ["0301234567-001", "12/3"]), ("_a_", ["a"]),
])
def test_search_words_drop_the_punctuation_around_words(query, words):
    assert search_words(query) == words


def test_names_are_stored_nfc_with_single_spaces():
    decomposed = "Nguye\u0302\u0303n  Văn An"
    assert normalize_name(decomposed) == "Nguyễn Văn An"
    assert len(normalize_name(decomposed)) == len("Nguyễn Văn An")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_admin_writes_and_reads_dates_dd_mm_yyyy_in_both_languages(language):
    """What a read-only date in the admin shows, and how a date typed into an admin form is read:
    01/12/2026 is the first of December, never 12 January (Django's default %m/%d/%Y)."""
    from django import forms
    from django.contrib.admin.utils import display_for_field
    from django.db import models
    from django.utils import timezone, translation

    moment = timezone.make_aware(datetime.datetime(2026, 12, 1, 22, 37, 5))
    with translation.override(language):
        assert display_for_field(moment, models.DateTimeField(), "-") == "01/12/2026 22:37"
        assert display_for_field(datetime.date(2026, 12, 1), models.DateField(), "-") == "01/12/2026"
        assert forms.DateField().clean("01/12/2026") == datetime.date(2026, 12, 1)
        assert forms.DateField().clean("2026-12-01") == datetime.date(2026, 12, 1)
        with pytest.raises(forms.ValidationError):
            forms.DateField().clean("12/31/2026")  # month first is not a date here
        assert forms.DateTimeField().clean("01/12/2026 22:37:05") == moment
        assert forms.DateInput().format_value(datetime.date(2026, 12, 1)) == "01/12/2026"
        assert forms.DateTimeInput().format_value(moment.replace(tzinfo=None)) == "01/12/2026 22:37:05"
