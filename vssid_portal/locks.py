"""Transaction-level advisory locks: the portal's keys in one place, so that no two uses share one.

Row locks of a person and of their login, by a write that changes none of their keys (the columns a
foreign key may refer to: the id, the BHXH code, the username, the login's person): the person's row
first, then the login's, both FOR NO KEY UPDATE (select_for_update(no_key=True)). A row committed
meanwhile that refers to them (a new filing: its person and the login that sent it) has its keys checked
at COMMIT, Django's foreign keys being DEFERRABLE INITIALLY DEFERRED, each check taking a FOR KEY SHARE
lock of the row, in the order of the keys' trigger names, which is not the same in every database (a
restored dump makes a table's keys in the order of their names). FOR NO KEY UPDATE does not conflict
with FOR KEY SHARE; FOR UPDATE would, and such a commit holding the login and waiting for the person
would wait in a circle with a write holding the person and waiting for the login, which PostgreSQL ends
as a deadlock (tests/public_services/test_contact_change_concurrency.py). A login's submissions are
ordered by an advisory lock (LOGIN_SUBMISSIONS), never by its row.

So do the other writes of a person that change none of their keys, for a filing for that person to commit
while they run instead of waiting for them (tests/public_services/test_person_lock_filings_meanwhile.py):
a 608A's correction of the details (accounts.services.identity.person_correct_identity), and the triggers
that move a person's page version, and their parents', on every write of their cards, periods and
registrations (accounts/content_version.py): a card reissued or revoked, at the counter or by a filing's
completion; and the locks that put one person's writers one after another, of their periods
(participation.services.periods.lock_person, the import, a deletion) and of their statement requests
(tests/participation/test_person_lock_filings_meanwhile.py); and a decision of a registration, which locks
the registration and its person, and writes only the registration's status and decision and, approving,
the person's phone and agency (accounts.services.registration.decision._locked_for_decision: a guardian's
filing for a child, tests/accounts/test_registration_decision_locks.py); and the admin's save of their page, which
writes only the columns the page changed (accounts.services.persons.person_save,
tests/accounts/test_person_admin_locks.py). A deletion of the person locks them FOR UPDATE
(accounts.services.persons.persons_delete), as does a write that changes their BHXH code. An UPDATE whose
SET names a key column, the BHXH code, locks the row FOR UPDATE even when the value stays the same (the
person table has a BEFORE UPDATE trigger, for which PostgreSQL picks the lock by the columns named): such a
write saves only the columns it changes (update_fields). The tests read which lock a transaction holds of a
row with PostgreSQL's pgrowlocks (tests.db_locks.row_lock).
"""

import enum

from django.db import connection


class Lock(enum.IntEnum):
    # participation: the writers of many people's periods (an import, a deletion of several people's
    # periods, or of several people: accounts.services.persons.persons_delete)
    MANY_PEOPLE_PERIODS = 79010001
    # public_services: the holiday table's changes against the due dates counted with it
    CALENDAR = 79010002
    # public_services: one login's submissions, each counted against the filings it sent before (with
    # the login's id, `of`)
    LOGIN_SUBMISSIONS = 79010003
    # accounts: one person's registrations sent one after another, each replacing the one before (with the
    # person's id, `of`); not the person's row, which a decision locks after the registration's
    REGISTRATION_SUBMISSIONS = 79010004


def advisory_xact_lock(key: Lock, *, shared: bool = False, of: int | None = None) -> None:
    """Wait for the lock `key` (of one row, `of`: its id) and hold it until the end of the transaction:
    exclusive, or shared with the others that take it shared. PostgreSQL only; SQLite writes one
    transaction at a time anyway. A lock of a row is PostgreSQL's two-key lock, apart from the one-key
    locks; ids beyond the 32-bit key share a key, which only makes their holders wait on each other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
            if of is None:
                cursor.execute(f"SELECT {function}(%s)", [int(key)])
            else:
                cursor.execute(f"SELECT {function}(%s::integer, %s::integer)", [int(key), int(of) % 2**31])
