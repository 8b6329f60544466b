"""The list filters by a date: by year for the lists of millions of rows, Django's recent dates without
its "this year", and the parts of a date a filter in the address may compare with."""

import datetime

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import (
    NotRelationField,
    get_fields_from_path,
)
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy


def year_filter(field: str, *, since: int) -> type[admin.SimpleListFilter]:
    """A list filter by the year of `field`, from this year back to `since`: for the lists of
    millions of rows (periods, visits, card checks, benefit records, registrations, feedback), where
    Django's date hierarchy finds its years (and then the months of a year) by reading every row of
    the list on each page view. A year that is not offered filters nothing."""

    class YearFilter(admin.SimpleListFilter):
        title = gettext_lazy("năm")
        parameter_name = f"{field}_nam"

        def lookups(self, request, model_admin):
            return [(str(year), str(year)) for year in range(timezone.localdate().year, since - 1, -1)]

        def queryset(self, request, queryset):
            if self.value() in {value for value, _ in self.lookup_choices}:
                return queryset.filter(**{f"{field}__year": int(self.value())})
            return queryset

    return YearFilter


# The msgid of Django's "this year" choice, passed as a name so that makemessages does not take
# it into the portal's catalogue.
DJANGO_THIS_YEAR = "This year"


class RecentDateFilter(admin.DateFieldListFilter):
    """Django's filter by a date (today, the past 7 days, this month) for a list that also has a
    year_filter on the same date: without Django's "this year", which the year filter offers."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        this_year = gettext(DJANGO_THIS_YEAR)  # Django's own label, in Django's catalogue
        self.links = tuple(link for link in self.links if str(link[0]) != this_year)


# What a filter may compare a part of a date or time with (`?submitted_at__year=2025`): Django
# builds a date from a year only within 1–9999, and the database takes a number only up to 2⁶³.
DATE_PART_RANGES = {"year": (1, 9999), "iso_year": (1, 9999), "quarter": (1, 4), "month": (1, 12), "week": (1, 53),
                    "day": (1, 31), "week_day": (1, 7), "iso_week_day": (1, 7), "hour": (0, 23), "minute": (0, 59),
                    "second": (0, 59)}


def date_part_of(model, key: str) -> tuple[models.DateField, str] | None:
    """The date (or date and time) field and the part of it (a name in DATE_PART_RANGES) a list's
    filter `key` compares (`person__birth_date__year__gte` → birth_date, "year"), or None for a
    filter of anything else."""
    parts = key.split(LOOKUP_SEP)
    for end in range(len(parts), 0, -1):
        try:
            field = get_fields_from_path(model, LOOKUP_SEP.join(parts[:end]))[-1]
        except (FieldDoesNotExist, NotRelationField):
            continue
        if isinstance(field, models.DateField):  # a DateTimeField too
            part = next((part for part in parts[end:] if part in DATE_PART_RANGES), None)
            return (field, part) if part else None
        return None
    return None


def within(text: str, field: models.DateField, part: str) -> bool:
    low, high = DATE_PART_RANGES[part]
    try:
        value = int(text)
    except ValueError:
        return False
    if not low <= value <= high:
        return False
    if part in ("year", "iso_year") and isinstance(field, models.DateTimeField) and settings.USE_TZ:
        return _year_has_utc_bounds(value)
    return True


def _year_has_utc_bounds(year: int) -> bool:
    """Whether the first and the last instant of `year` in the portal's time zone are times in UTC
    too: the year 1 of Hồ Chí Minh City begins on 31/12 of the year 0 in UTC, which no datetime
    holds, and the database backends that store UTC (SQLite) failed to convert it."""
    try:
        for moment in (datetime.datetime(year, 1, 1), datetime.datetime(year, 12, 31, 23, 59, 59, 999999)):
            timezone.make_aware(moment).astimezone(datetime.UTC)
    except OverflowError:
        return False
    return True
