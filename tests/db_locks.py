"""For tests of two transactions on PostgreSQL: wait until the other one is held up by a lock."""

import time

from django.db import connection


def wait_until_blocked(thread, pids: list | None = None, seconds: float = 10) -> bool:
    """Return True once a session of the test database waits for a lock (only the session whose backend
    pid `thread` puts in `pids`, when given); False once `thread` has ended, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while thread.is_alive() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else a transaction sees its first look again
            if pids is None:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                               "AND datname = current_database()")
            else:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid = %s",
                               [pids[0] if pids else 0])
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.01)
    return False
