"""For tests of two transactions on PostgreSQL: run one in a thread, and wait until the other one is
held up by a lock."""

import time

from django.db import connection, connections


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


def run_into(outcome: dict, name: str, work) -> None:
    """The target of a thread running one side: `outcome[name]` is what `work()` returned or the
    exception it raised, and the thread's database connections are closed after it."""
    try:
        outcome[name] = work()
    except Exception as error:  # noqa: BLE001 - the test reports what each side ended with
        outcome[name] = error
    finally:
        connections.close_all()
