"""An officer's step on a filing is taken on the filing as it stands once its row is locked, within
the officer's scope then: a citizen resubmitting it to another agency at the same moment (the
step waiting for the resubmission's lock) leaves it to that agency, instead of the step, whose
scope was checked before the wait, receiving another agency's filing."""

import functools
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from lookup.models import Agency
from public_services.models import Filing
from public_services.procedures import registry
from public_services.services import filing_receive, filing_resubmit, filing_return
from tests.db_locks import run_into, wait_until_blocked

from .helpers import answers, district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def test_a_filing_resubmitted_to_another_agency_while_the_officer_receives_it_is_not_received(
        owner, district_officer, monkeypatch):  # noqa: F811
    filing = submit(owner)
    filing_return(filing=filing, officer=district_officer, what="Bổ sung ảnh sổ BHXH rõ hơn.")
    other = Agency.objects.get(code="07902")
    book = type(registry.get(filing.procedure_code))
    held, go, outcome = threading.Event(), threading.Event(), {}

    def holding(self, *, filing):  # the resubmission holds the filing's lock here, before it commits
        held.set()
        go.wait(10)

    monkeypatch.setattr(book, "agency_for", lambda self, *, person, data: other)
    monkeypatch.setattr(book, "on_submit", holding)

    run = functools.partial(run_into, outcome)

    citizen = threading.Thread(target=run, args=("resubmit", lambda: filing_resubmit(
        filing=filing, user=owner, data=answers(filing.procedure_code), uploads={}, revision=filing.revision)))
    citizen.start()
    assert held.wait(10)
    officer = threading.Thread(target=run, args=("receive", lambda: filing_receive(filing=filing,
                                                                                   officer=district_officer)))
    officer.start()
    waited = wait_until_blocked(officer)
    go.set()
    citizen.join(15)
    officer.join(15)
    assert waited, "the officer's step did not wait for the resubmission's lock"

    assert isinstance(outcome["resubmit"], Filing), outcome
    assert isinstance(outcome["receive"], PermissionDenied), outcome
    stored = Filing.objects.get(pk=filing.pk)
    assert (stored.status, stored.agency_id) == (Filing.Status.SUBMITTED, other.pk)
