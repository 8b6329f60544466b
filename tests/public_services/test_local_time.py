"""A filing's history names each step by its time in Vietnam, not in UTC as the database stores it."""

import datetime

from public_services.models import Filing, FilingEvent


def test_a_step_just_before_midnight_utc_is_named_by_its_time_in_vietnam():
    event = FilingEvent(status=Filing.Status.RECEIVED, at=datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC))
    assert str(event) == "Đã tiếp nhận – 02/03/2026 03:30"
