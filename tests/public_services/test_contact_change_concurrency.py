"""An officer completing a contact change writes the person's row, then their login's, while the same
login's new filing for that person commits. PostgreSQL checks a new row's foreign keys at COMMIT
(Django makes them DEFERRABLE INITIALLY DEFERRED), each check taking a FOR KEY SHARE lock of the row it
refers to, in the order of the keys' triggers' names: in a database restored from a dump, the login's
(public_services_fili_submitted_by_…) before the person's. The completion locks both rows FOR NO KEY
UPDATE, which such a check does not wait for: had it locked them FOR UPDATE, the filing's commit would
hold the login and wait for the person while the completion held the person and waited for the login,
and PostgreSQL would end one of them as a deadlock (a 500 for the citizen or the officer)."""

import pytest
from django.db import connection

from accounts.models import Person, User
from public_services.models import Filing
from public_services.services import filing_complete
from tests.db_locks import key_checked_first, paused_while

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
    # paused where the completion holds the person's row, before it locks the login's
    outcome, waited = paused_while(
        User.objects, "select_for_update",
        lambda: filing_complete(filing=contact_change, officer=district_officer),
        lambda: submit(owner, "607A"), names=("complete", "submit"))

    assert isinstance(outcome["complete"], Filing), outcome
    assert isinstance(outcome["submit"], Filing), outcome
    assert not waited, "the filing's commit waited for the completion's lock of the person"
    assert Filing.objects.get(pk=contact_change.pk).status == Filing.Status.DONE
    assert Filing.objects.get(pk=outcome["submit"].pk).status == Filing.Status.SUBMITTED
    assert Person.objects.get(pk=owner.person.pk).phone.as_e164 == "+84987654321"
    assert User.objects.get(pk=owner.pk).email == "duc.moi@example.vn"
