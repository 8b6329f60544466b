"""An officer completing a contact change writes the person's row, then their login's, while the same
login's new filing for that person commits. PostgreSQL checks a new row's foreign keys at COMMIT
(Django makes them DEFERRABLE INITIALLY DEFERRED), each check taking a FOR KEY SHARE lock of the row it
refers to, in the order of the keys' triggers' names: in a database restored from a dump, the login's
(public_services_fili_submitted_by_…) before the person's. The completion locks both rows FOR NO KEY
UPDATE, which such a check does not wait for: had it locked them FOR UPDATE, the filing's commit would
hold the login and wait for the person while the completion held the person and waited for the login,
and PostgreSQL would end one of them as a deadlock (a 500 for the citizen or the officer)."""

import functools
import threading
from unittest import mock

import pytest
from django.db import connection

from accounts.models import Person, User
from public_services.models import Filing
from public_services.services import filing_complete
from tests.db_locks import key_checked_first, run_into, wait_until_blocked

from .helpers import district_officer, owner, submit  # noqa: F401
from .test_contact_change import CODE, in_hand

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def login_key_checked_first():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time, so no commit waits for a row")
    with key_checked_first("public_services_filing", "submitted_by_id"):
        yield


def test_a_filing_committed_while_the_contact_change_is_completed_waits_for_neither(
        owner, district_officer, login_key_checked_first):  # noqa: F811
    contact_change = in_hand(submit(owner, CODE), district_officer)
    between, go = threading.Event(), threading.Event()
    outcome, citizen_pid = {}, []
    lock_logins = User.objects.select_for_update

    def paused(*args, **kwargs):  # the completion holds the person's row here, before the login's
        if threading.current_thread() is completing:
            between.set()
            go.wait(10)
        return lock_logins(*args, **kwargs)

    def citizen():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            citizen_pid.append(cursor.fetchone()[0])
        return submit(owner, "607A")

    run = functools.partial(run_into, outcome)
    with mock.patch.object(User.objects, "select_for_update", paused):
        completing = threading.Thread(target=run, args=(
            "complete", lambda: filing_complete(filing=contact_change, officer=district_officer)))
        completing.start()
        assert between.wait(10)
        submitting = threading.Thread(target=run, args=("submit", citizen))
        submitting.start()
        waited = wait_until_blocked(submitting, citizen_pid, seconds=5)
        go.set()
        completing.join(15)
        submitting.join(15)

    assert isinstance(outcome["complete"], Filing), outcome
    assert isinstance(outcome["submit"], Filing), outcome
    assert not waited, "the filing's commit waited for the completion's lock of the person"
    assert Filing.objects.get(pk=contact_change.pk).status == Filing.Status.DONE
    assert Filing.objects.get(pk=outcome["submit"].pk).status == Filing.Status.SUBMITTED
    assert Person.objects.get(pk=owner.person.pk).phone.as_e164 == "+84987654321"
    assert User.objects.get(pk=owner.pk).email == "duc.moi@example.vn"
