"""The admin's history and change log (LogEntry.object_repr) name a lookup by its time in Vietnam,
not in UTC as the database stores it."""

import datetime

from accounts.models import CodeLookupAudit, Person


def test_a_lookup_just_before_midnight_utc_is_named_by_its_time_in_vietnam():
    at = datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC)
    lookup = CodeLookupAudit(person=Person(bhxh_code="7901234567"), answered_at=at)
    assert str(lookup) == "7901234567 – 02/03/2026 03:30"
