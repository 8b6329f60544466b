"""The portal's clock moved to an instant told in Vietnam's time, for the rules that depend on today,
this month or this year (time-machine). From 00:00 to 07:00 in Vietnam the UTC date is still the day
before, and on 01/01 the year before: a rule that took the UTC date would answer for yesterday.

Only the Python side moves: the clocks of PostgreSQL and Redis (a key's TTL) keep the real time, so a
test moved so reads no `now()` of the database and waits for no key to expire. The move starts at the
instant and the clock runs on from it (`tick`), so that code waiting for time to pass still sees it pass."""

import datetime
import zoneinfo

import time_machine

from vssid_portal.time_zone import TIME_ZONE

VIETNAM = zoneinfo.ZoneInfo(TIME_ZONE)


def in_vietnam(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    """An instant told as a clock in Vietnam shows it."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


# The last half hour of a year and the first, in Vietnam: at the first, the UTC date is still 31/12.
YEAR_END = in_vietnam(2026, 12, 31, 23, 30)
NEW_YEAR = in_vietnam(2027, 1, 1, 0, 30)
assert NEW_YEAR.astimezone(datetime.UTC).date() == datetime.date(2026, 12, 31)


def at(instant: datetime.datetime):
    """The portal's clock at `instant` for the `with` block (or a test it decorates)."""
    return time_machine.travel(instant, tick=True)
