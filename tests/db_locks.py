"""For tests of two transactions on PostgreSQL: wait until the other one is held up by a lock."""

import time

from django.db import connection


def wait_until_blocked(thread, pids: list | None = None, seconds: float = 10) -> None:
    """Return once a session of the test database waits for a lock (only the session whose backend
    pid `thread` puts in `pids`, when given), or once `thread` has ended; give up after `seconds`, and
    the test's assertions tell what happened."""
    deadline = time.monotonic() + seconds
    while thread.is_alive() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            if pids is None:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                               "AND datname = current_database()")
            else:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid = %s",
                               [pids[0] if pids else 0])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.01)
