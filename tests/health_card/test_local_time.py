"""The card-check log names each check by its time in Vietnam, not in UTC as the database stores it."""

import datetime

from health_card.models import CardCheck


def test_a_check_just_before_midnight_utc_is_named_by_its_time_in_vietnam():
    check = CardCheck(channel=CardCheck.Channel.API, result="valid",
                      at=datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC))
    assert str(check) == "02/03/2026 03:30 Phần mềm của cơ sở KCB (API) – Thẻ hợp lệ"
