"""The shared helpers take Vietnam's day: at 00:30 on 01/01, when the UTC date is still 31/12, a new
reference carries January of the new year, a birth on that day is no birth in the future, the admin's
year filter offers the new year and finds in it what was written then, and dates are written as that day."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from notifications.models import Message
from tests.clock import NEW_YEAR, YEAR_END, at
from vssid_portal.admin import year_filter
from vssid_portal.form_keys import new_reference
from vssid_portal.forms import validate_birth_date
from vssid_portal.templatetags.vn_format import vn_date, vn_datetime, vn_time_date

pytestmark = pytest.mark.django_db


def test_a_reference_made_at_00_30_on_01_01_carries_january_of_the_new_year():
    with at(NEW_YEAR):
        assert new_reference(Message, field="idempotency_key", prefix="HS", length=6).startswith("HS2701")


def test_a_birth_on_01_01_is_no_birth_in_the_future_from_00_30():
    with at(YEAR_END):
        with pytest.raises(ValidationError):
            validate_birth_date(NEW_YEAR.date())
        with pytest.raises(ValidationError):
            validate_birth_date(NEW_YEAR.year)
    with at(NEW_YEAR):
        validate_birth_date(NEW_YEAR.date())
        validate_birth_date(NEW_YEAR.year)


def test_the_admins_year_filter_offers_the_new_year_and_finds_what_was_written_at_00_30():
    with at(NEW_YEAR):
        message = Message.objects.create(channel=Message.Channel.SMS, template="t", recipient="+84912345678",
                                         idempotency_key="k-1", body="b")
        filter_ = year_filter("created_at", since=2020)(RequestFactory().get("/"), {"created_at_nam": ["2027"]},
                                                        Message, None)
    assert filter_.lookup_choices[0] == ("2027", "2027")
    assert list(filter_.queryset(None, Message.objects.all())) == [message]


def test_an_instant_at_00_30_on_01_01_is_written_as_that_day():
    utc = NEW_YEAR.astimezone(datetime.UTC)  # as the database gives it back
    assert (vn_date(utc), vn_datetime(utc), vn_time_date(utc)) == (
        "01/01/2027", "01/01/2027 00:30", "00:30 ngày 01/01/2027")
