"""For tests of two transactions on PostgreSQL: run one in a thread, and wait until the other one is
held up by a lock."""

import contextlib
import threading
import time
from unittest import mock

from django.db import DatabaseError, connection, connections, transaction


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


def row_locked(model, pk) -> bool:
    """Whether another transaction holds the row of `model` whose id is `pk` with a lock that FOR NO KEY
    UPDATE conflicts with (FOR SHARE, FOR NO KEY UPDATE, FOR UPDATE), asked without waiting in a transaction
    of its own. With a filing's commit that did not wait for it (its key check's FOR KEY SHARE conflicts with
    FOR UPDATE only), the row is held FOR NO KEY UPDATE (or FOR SHARE, which the portal takes nowhere):
    a test of a writer that took no lock at all, or FOR UPDATE, fails."""
    try:
        with transaction.atomic():
            model.objects.select_for_update(no_key=True, nowait=True).filter(pk=pk).exists()
    except DatabaseError:  # OperationalError: could not obtain lock on row
        return True
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


def paused_while(target, attribute: str, first, second, *, at_call: int = 1, seconds: float = 5,
                 names: tuple[str, str] = ("first", "second")) -> tuple[dict, bool]:
    """Run `first()` in a thread, paused at its `at_call`-th call of `target.attribute` (before the call runs,
    its locks held), then `second()` in another thread with its own connection; let `first` go on after
    `seconds` at most of waiting for `second` to wait for a lock. What each ended with ({names[0]: …,
    names[1]: …}) and whether `second` waited for a lock."""
    real = getattr(target, attribute)
    paused_there, go = threading.Event(), threading.Event()
    outcome, second_pid, calls = {}, [], []

    def paused(*args, **kwargs):
        if threading.current_thread() is first_thread and not paused_there.is_set():
            calls.append(1)
            if len(calls) == at_call:
                paused_there.set()
                go.wait(10)
        return real(*args, **kwargs)

    def second_side():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            second_pid.append(cursor.fetchone()[0])
        return second()

    with mock.patch.object(target, attribute, paused):
        first_thread = threading.Thread(target=run_into, args=(outcome, names[0], first))
        first_thread.start()
        assert paused_there.wait(10), f"{names[0]} did not call {attribute}"
        second_thread = threading.Thread(target=run_into, args=(outcome, names[1], second_side))
        second_thread.start()
        waited = wait_until_blocked(second_thread, second_pid, seconds=seconds)
        go.set()
        first_thread.join(30)
        second_thread.join(30)
    return outcome, waited


def _foreign_keys(cursor, table: str) -> list[tuple[str, str, str]]:
    """The foreign keys of `table` as (column, name, definition), in the order PostgreSQL checks them
    for a row: that of their triggers' names, in bytes."""
    cursor.execute(
        "SELECT a.attname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_trigger t ON t.tgconstraint = c.oid AND t.tgrelid = c.conrelid "
        "AND t.tgname LIKE 'RI_ConstraintTrigger_c_%%' "
        "WHERE c.conrelid = %s::regclass AND c.contype = 'f' GROUP BY 1, 2, 3 ORDER BY min(t.tgname COLLATE \"C\")",
        [table])
    return cursor.fetchall()


def _made_again(cursor, table: str, keys) -> None:
    for _column, name, definition in keys:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}", ADD CONSTRAINT "{name}" {definition}')


@contextlib.contextmanager
def key_checked_first(table: str, column: str):
    """The foreign key of `table`.`column` checked at COMMIT before the table's others, as in a database
    restored from pg_dump, which makes a table's foreign keys in the order of their names
    ("public_services_fili_submitted_by_…" before "public_services_filing_person_…"), where a fresh
    migration makes them in the order of the model's fields. PostgreSQL checks a row's deferred keys in
    the order of their triggers' names, which carry the constraints' oids: all are made again, it
    first. Each key stays as it was declared; their first order is made again on leaving. Needs a test
    with `django_db(transaction=True)`."""
    with connection.cursor() as cursor:
        before = _foreign_keys(cursor, table)
        for _attempt in range(3):  # again if the oids reached one more digit meanwhile
            keys = _foreign_keys(cursor, table)
            if keys[0][0] == column:
                break
            _made_again(cursor, table, sorted(keys, key=lambda key: key[0] != column))
        assert _foreign_keys(cursor, table)[0][0] == column
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            _made_again(cursor, table, before)
