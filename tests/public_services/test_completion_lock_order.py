"""Completing a filing whose hook writes the person's BHYT card (BHYT-CL, a 608A that changes a
printed detail) takes its locks in the order every other card write takes them: the filing, the
person's cards, then the person (the card table's trigger moves the person's page version). An
officer reissuing the same card at the counter meanwhile waits for the completion instead of
deadlocking with it."""

import functools
import re
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from health_card.models import Card
from health_card.services import reissue_card
from public_services.models import Filing
from public_services.services import filing_complete, filing_receive, filing_start, officer_steps
from tests.db_locks import run_into, wait_until_blocked
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401

from .helpers import district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def in_hand(owner, officer, facility, code):  # noqa: F811
    issue(owner.person, facility)
    filing = submit(owner, code)
    filing_receive(filing=filing, officer=officer)
    filing_start(filing=filing, officer=officer)
    return filing


@pytest.mark.parametrize("code", ["BHYT-CL", "608A"])
def test_the_cards_are_locked_before_the_person(owner, district_officer, facility, code):  # noqa: F811
    filing = in_hand(owner, district_officer, facility, code)
    with CaptureQueriesContext(connection) as queries:
        filing_complete(filing=filing, officer=district_officer)
    locks = [query["sql"] for query in queries.captured_queries if re.search(r"FOR (NO KEY )?UPDATE", query["sql"])]
    cards = next(n for n, sql in enumerate(locks) if '"health_card_card"' in sql)
    person = next(n for n, sql in enumerate(locks) if 'FROM "accounts_person"' in sql)
    assert cards < person, locks


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("code", ["BHYT-CL", "608A"])
def test_a_counter_reissue_during_the_completion_waits_for_it(owner, district_officer, facility, code):  # noqa: F811
    filing = in_hand(owner, district_officer, facility, code)
    card = Card.objects.get(person=owner.person, status=Card.Status.ACTIVE)
    locked, go = threading.Event(), threading.Event()
    outcome, counter_pid = {}, []
    still_as_seen = officer_steps._still_as_seen

    def paused(*args, **kwargs):  # the completion holds its locks here, before its hook runs
        locked.set()
        go.wait(10)
        return still_as_seen(*args, **kwargs)

    run = functools.partial(run_into, outcome)

    def counter():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            counter_pid.append(cursor.fetchone()[0])
        return reissue_card(owner.person, "Cấp lại do thẻ hỏng", replacing=card)

    with mock.patch.object(officer_steps, "_still_as_seen", paused):
        completing = threading.Thread(target=run, args=(
            "complete", lambda: filing_complete(filing=filing, officer=district_officer)))
        completing.start()
        assert locked.wait(10)
        at_counter = threading.Thread(target=run, args=("counter", counter))
        at_counter.start()
        waited = wait_until_blocked(at_counter, counter_pid)  # the counter waits for a lock
        go.set()
        completing.join(15)
        at_counter.join(15)
    assert waited, "the counter's reissue did not wait for the completion's lock"

    assert isinstance(outcome["complete"], Filing), outcome
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.DONE
    # The counter, served second, finds the card it chose already replaced: refused, not a 500.
    assert isinstance(outcome["counter"], ValidationError), outcome
    assert list(Card.objects.filter(person=owner.person).values_list("version", "status").order_by("version")) == [
        (1, Card.Status.REPLACED), (2, Card.Status.ACTIVE)]
