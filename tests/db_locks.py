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


# The row locks from the weakest to the strongest, as SELECT … FOR names them. FOR KEY SHARE, which a
# foreign key's check takes of the row it refers to, conflicts with FOR UPDATE alone.
LOCKS = ("FOR KEY SHARE", "FOR SHARE", "FOR NO KEY UPDATE", "FOR UPDATE")
# pgrowlocks's modes as the locks they are: a row locked by SELECT … FOR, or updated, by an UPDATE that
# named no key column ("No Key Update") or one ("Update": FOR UPDATE, even when the key kept its value and
# the table has a BEFORE UPDATE trigger, as the person table does).
MODES = {"For Key Share": "FOR KEY SHARE", "For Share": "FOR SHARE", "For No Key Update": "FOR NO KEY UPDATE",
         "For Update": "FOR UPDATE", "No Key Update": "FOR NO KEY UPDATE", "Update": "FOR UPDATE"}
# Without pgrowlocks: each lock asked for without waiting, the strongest first; the first one taken tells
# the lock held (FOR UPDATE taken: none; FOR NO KEY UPDATE taken: FOR KEY SHARE at most; …).
FOUND_BY_ASKING = (("FOR UPDATE", None), ("FOR NO KEY UPDATE", "FOR KEY SHARE"), ("FOR SHARE", "FOR SHARE"),
                   ("FOR KEY SHARE", "FOR NO KEY UPDATE"))


def row_lock_modes(model, pk) -> frozenset[str] | None:
    """The modes in which other transactions hold the row of `model` whose id is `pk`, as PostgreSQL's
    contrib extension pgrowlocks names them (MODES); None when the test database has no pgrowlocks
    (tests/conftest.py creates it where PostgreSQL ships it)."""
    table = connection.ops.quote_name(model._meta.db_table)
    key = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pgrowlocks'")
        if cursor.fetchone() is None:
            return None
        # the version of the row this transaction sees: the one a transaction still open locked or updated
        cursor.execute(f"SELECT held.modes FROM pgrowlocks(%s) held "
                       f"WHERE held.locked_row = (SELECT ctid FROM {table} WHERE {key} = %s)", [table, pk])
        return frozenset(mode for (modes,) in cursor.fetchall() for mode in modes)


def row_lock(model, pk) -> str | None:
    """The strongest lock other transactions hold on the row of `model` whose id is `pk`, as SELECT … FOR
    names it ("FOR NO KEY UPDATE"), an update counting as the lock it takes; None when the row is not
    locked. Read from pgrowlocks (row_lock_modes); without it, found by asking for each lock without
    waiting (FOUND_BY_ASKING), in transactions of its own, which tells the four locks apart as well but not
    a row locked from a row updated. A filing's commit, whose key check takes FOR KEY SHARE, waits for
    FOR UPDATE only: a test of a write that must not hold it up asserts FOR NO KEY UPDATE, so that a write
    that took no lock, FOR SHARE or FOR UPDATE fails."""
    modes = row_lock_modes(model, pk)
    if modes is not None:
        return max((MODES[mode] for mode in modes), key=LOCKS.index, default=None)
    table = connection.ops.quote_name(model._meta.db_table)
    key = connection.ops.quote_name(model._meta.pk.column)
    for asked, held in FOUND_BY_ASKING:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {table} WHERE {key} = %s {asked} NOWAIT", [pk])
        except DatabaseError:  # OperationalError: could not obtain lock on row
            continue
        return held
    return "FOR UPDATE"


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
