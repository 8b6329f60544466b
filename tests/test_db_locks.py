"""tests.db_locks.row_lock, which the tests of two transactions ask which lock the other one holds of a
row: each lock told apart from the others, read from pgrowlocks (made in the test database by
tests/conftest.py) or, without it, found by asking for each lock without waiting."""

import threading

import pytest
from django.db import connection, transaction

from accounts.models import Person
from tests import db_locks
from tests.accounts.helpers import make_person
from tests.conftest import missing
from tests.db_locks import row_lock, row_lock_modes, run_into

pytestmark = pytest.mark.django_db(transaction=True)

TAKEN = {
    "FOR KEY SHARE": "SELECT 1 FROM accounts_person WHERE id = %s FOR KEY SHARE",
    "FOR SHARE": "SELECT 1 FROM accounts_person WHERE id = %s FOR SHARE",
    "FOR NO KEY UPDATE": "SELECT 1 FROM accounts_person WHERE id = %s FOR NO KEY UPDATE",
    "FOR UPDATE": "SELECT 1 FROM accounts_person WHERE id = %s FOR UPDATE",
    "an UPDATE naming no key": "UPDATE accounts_person SET mother_name = 'Trần Thị Mai' WHERE id = %s",
    # the BEFORE UPDATE trigger of the person table: FOR UPDATE, though the code keeps its value
    "an UPDATE naming the code": "UPDATE accounts_person SET bhxh_code = bhxh_code WHERE id = %s",
    "nothing": "SELECT 1 FROM accounts_person WHERE id = %s",
}
HELD = {"FOR KEY SHARE": "FOR KEY SHARE", "FOR SHARE": "FOR SHARE", "FOR NO KEY UPDATE": "FOR NO KEY UPDATE",
        "FOR UPDATE": "FOR UPDATE", "an UPDATE naming no key": "FOR NO KEY UPDATE",
        "an UPDATE naming the code": "FOR UPDATE", "nothing": None}
MODES = {"FOR KEY SHARE": {"For Key Share"}, "FOR SHARE": {"For Share"}, "FOR NO KEY UPDATE": {"For No Key Update"},
         "FOR UPDATE": {"For Update"}, "an UPDATE naming no key": {"No Key Update"},
         "an UPDATE naming the code": {"Update"}, "nothing": set()}


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time")


def asked_meanwhile(person, taken: str, ask):
    """`ask(person's id)` on another connection while this one holds the person's row as `taken` does."""
    outcome = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(TAKEN[taken], [person.pk])
        thread = threading.Thread(target=run_into, args=(outcome, "seen", lambda: ask(person.pk)))
        thread.start()
        thread.join(30)
    assert not isinstance(outcome["seen"], Exception), outcome
    return outcome["seen"]


@pytest.mark.parametrize("taken", TAKEN)
def test_pgrowlocks_names_the_mode_of_each_lock_and_update(reference_data, taken):
    person = make_person()
    if asked_meanwhile(person, "nothing", lambda pk: row_lock_modes(Person, pk)) is None:
        missing("PostgreSQL's contrib extension pgrowlocks is not available (Debian's postgresql package ships it)")
    assert asked_meanwhile(person, taken, lambda pk: row_lock_modes(Person, pk)) == MODES[taken]
    assert asked_meanwhile(person, taken, lambda pk: row_lock(Person, pk)) == HELD[taken]


@pytest.mark.parametrize("taken", TAKEN)
def test_without_pgrowlocks_each_lock_is_found_by_asking(reference_data, monkeypatch, taken):
    monkeypatch.setattr(db_locks, "row_lock_modes", lambda model, pk: None)
    assert asked_meanwhile(make_person(), taken, lambda pk: row_lock(Person, pk)) == HELD[taken]
