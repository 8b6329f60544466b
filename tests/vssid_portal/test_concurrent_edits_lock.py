"""The check of an edit against the version its page showed locks the edited row only: not a row its
model's ordering joins (a card's holder: Card orders by person, Person by BHXH code), which every
writer of that holder would then wait for until the edit's transaction ends."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Person
from tests.accounts.helpers import make_person
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401
from vssid_portal.concurrent_edits import check_unchanged_since_seen

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_check_locks_the_edited_row_and_not_a_row_its_ordering_joins(reference_data, facility):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time")
    person = make_person()
    card = issue(person, facility)
    holder, outcome = {}, {}

    def holders_writer():
        try:
            with transaction.atomic():
                holder["locked"] = Person.objects.select_for_update(nowait=True).filter(pk=person.pk).exists()
        except Exception as error:  # noqa: BLE001 - the test reports what the other writer got
            holder["locked"] = error
        finally:
            connections.close_all()

    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            check_unchanged_since_seen(card, seen=card.version, field="version")
        thread = threading.Thread(target=holders_writer)
        thread.start()
        thread.join(10)
        outcome["sql"] = [query["sql"] for query in queries.captured_queries if "FOR UPDATE" in query["sql"]]

    assert len(outcome["sql"]) == 1, outcome
    assert 'JOIN "accounts_person"' in outcome["sql"][0], "the card is no longer read with its holder joined"
    assert outcome["sql"][0].endswith('FOR UPDATE OF "health_card_card"'), outcome
    assert holder["locked"] is True, holder
