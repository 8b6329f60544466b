"""A 608A's correction of a person's details and every write of their BHYT card (reissued at the counter
or by a completed BHYT-CL or 608A, revoked) lock the person's row FOR NO KEY UPDATE: the correction by its
own query, a card's write by the card table's trigger that moves the person's page version. None of them
changes a key of the person (its id, its BHXH code), and a citizen's new filing for that person, whose
commit checks its person key with a FOR KEY SHARE lock, commits while the officer's transaction is still
open, instead of waiting for it to end, as it did while they locked the person FOR UPDATE
(vssid_portal/locks.py)."""

import pytest
from django.db import connection

from accounts.models import Person
from health_card.models import Card
from health_card.services import card_revoke, reissue_card
from health_card.services import cards as card_services
from public_services.models import Filing
from public_services.procedures import book_change
from public_services.services import filing_complete, filing_receive, filing_start
from public_services.services import filings as filing_services
from tests.db_locks import paused_while, row_lock
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401

from .helpers import district_officer, owner, submit, two_parents_and_their_child  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time, so no commit waits for a row")


def filed_meanwhile(user, code: str, officers_filing: Filing | None = None):
    """The citizen's new filing, sent on another connection, with the status the officer's filing had once
    it committed (its commit waited for the officer's transaction if that status is already DONE); asked
    first, which lock the officer's transaction holds of the citizen's person (tests.db_locks.row_lock), so
    that a write that took no lock of them, or another than FOR NO KEY UPDATE, fails."""
    def work():
        locked = row_lock(Person, user.person_id)
        filing = submit(user, code)
        if officers_filing is None:
            return locked, filing, None
        return locked, filing, Filing.objects.get(pk=officers_filing.pk).status
    return work


def in_hand(owner, officer, code):  # noqa: F811
    filing = submit(owner, code)
    filing_receive(filing=filing, officer=officer)
    filing_start(filing=filing, officer=officer)
    return filing


@pytest.mark.parametrize("code, target, attribute, other", [
    # the details corrected, the card not reissued yet
    ("608A", book_change, "reissue_card", "UY-QUYEN"),
    # the card reissued after the correction: the holder is about to be told, by the filing's message
    ("608A", filing_services, "person_notify", "UY-QUYEN"),
    ("BHYT-CL", filing_services, "person_notify", "607A"),
], ids=["608A-corrected", "608A-card-reissued", "BHYT-CL-card-reissued"])
def test_a_filing_for_the_person_commits_while_a_completion_corrects_them_or_reissues_their_card(
        owner, district_officer, facility, code, target, attribute, other):  # noqa: F811
    issue(owner.person, facility)
    officers = in_hand(owner, district_officer, code)
    outcome, waited = paused_while(
        target, attribute, lambda: filing_complete(filing=officers, officer=district_officer),
        filed_meanwhile(owner, other, officers), names=("complete", "submit"))

    assert isinstance(outcome["complete"], Filing), outcome
    assert not isinstance(outcome["submit"], Exception), outcome
    locked, filing, officers_status_then = outcome["submit"]
    assert locked == "FOR NO KEY UPDATE", f"the completion held the person's row {locked or 'not at all'}"
    assert not waited, "the filing's commit waited for the completion's lock of the person"
    assert officers_status_then == Filing.Status.PROCESSING, "the filing committed only after the completion"
    assert Filing.objects.get(pk=officers.pk).status == Filing.Status.DONE
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED
    assert list(Card.objects.filter(person=owner.person).values_list("version", "status").order_by("version")) == [
        (1, Card.Status.REPLACED), (2, Card.Status.ACTIVE)]


@pytest.mark.parametrize("write", ["reissue", "revoke"])
def test_a_filing_for_the_person_commits_while_an_officer_writes_their_card_at_the_counter(
        owner, facility, write):  # noqa: F811
    card = issue(owner.person, facility)

    def counter():
        if write == "reissue":
            return reissue_card(owner.person, "Cấp lại do thẻ hỏng", replacing=card)
        return card_revoke(card=card, reason="Cấp trùng")

    # paused once the card is written (the trigger has locked its holder), before the holder is told
    outcome, waited = paused_while(card_services, "person_notify", counter, filed_meanwhile(owner, "607A"),
                                   names=("counter", "submit"))

    assert isinstance(outcome["counter"], Card), outcome
    assert not isinstance(outcome["submit"], Exception), outcome
    locked, filing, _ = outcome["submit"]
    assert locked == "FOR NO KEY UPDATE", f"the card write held its holder's row {locked or 'not at all'}"
    assert not waited, "the filing's commit waited for the card write's lock of its holder"
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED


def test_a_parents_filing_commits_while_a_completion_corrects_their_childs_name(
        reference_data, district_officer, facility):  # noqa: F811
    """The correction of a child moves their parents' page versions too (the person table's trigger),
    locking the parents' rows as the child's: no key of theirs changes either."""
    mother, _father, child = two_parents_and_their_child()
    issue(child, facility, group="HS")
    officers = submit(mother, "608A", person=child, changes=["full_name"], new_birth_date="")
    filing_receive(filing=officers, officer=district_officer)
    filing_start(filing=officers, officer=district_officer)
    outcome, waited = paused_while(
        book_change, "reissue_card", lambda: filing_complete(filing=officers, officer=district_officer),
        filed_meanwhile(mother, "607A", officers), names=("complete", "submit"))

    assert isinstance(outcome["complete"], Filing), outcome
    assert not isinstance(outcome["submit"], Exception), outcome
    locked, filing, officers_status_then = outcome["submit"]
    assert locked == "FOR NO KEY UPDATE", f"the completion held the parent's row {locked or 'not at all'}"
    assert not waited, "the parent's filing waited for the completion's lock of the parent"
    assert officers_status_then == Filing.Status.PROCESSING
    assert Filing.objects.get(pk=filing.pk).person == mother.person
