"""Transaction-level advisory locks: the portal's keys in one place, so that no two uses share one."""

import enum

from django.db import connection


class Lock(enum.IntEnum):
    # participation: the writers of many people's periods (an import, a deletion of several people's
    # periods, or of several people: accounts.services.persons.persons_delete)
    MANY_PEOPLE_PERIODS = 79010001
    # public_services: the holiday table's changes against the due dates counted with it
    CALENDAR = 79010002


def advisory_xact_lock(key: Lock, *, shared: bool = False) -> None:
    """Wait for the lock `key` and hold it until the end of the transaction: exclusive, or shared with
    the others that take it shared. PostgreSQL only; SQLite writes one transaction at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
            cursor.execute(f"SELECT {function}(%s)", [int(key)])
