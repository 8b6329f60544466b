"""The nightly expiry locks the cards it marks, in key order, and not their holders with them: their rows
are locked by the card table's trigger when the batch is updated, in key order as every writer of several
people locks them (accounts/content_version.py). Locking each holder with their card took the people in the
order of their cards' keys: a run holding a later person, because their card came first, and waiting for
an earlier one's card waited in a circle with a writer of both people's periods, which locks the earlier
person and then waits for the later, and PostgreSQL ended one of them as a deadlock."""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from health_card.models import Card
from health_card.services import cards_expire
from participation.models import Period
from participation.services.periods import period_delete
from tests.accounts.helpers import make_person
from tests.db_locks import wait_until_blocked
from tests.participation.helpers import period
from tests.participation.test_locks import Side

from .card_fixtures import facility, issue, signing_keys  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_expiry_and_a_writer_of_its_holders_periods_wait_in_no_circle(reference_data, facility):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time, so no one waits for a row")
    earlier = make_person("7901555581", "Trần Văn Bình", id_number="079090012381")
    later = make_person("7901555582", "Trần Văn Bảo", id_number="079090012382")
    ended = timezone.localdate() - datetime.timedelta(days=1)
    later_card = issue(later, facility, valid_to=ended)  # the lower key: the expiry takes it first
    earlier_card = issue(earlier, facility, valid_to=ended)
    for person in (earlier, later):
        period(person, "01/2020", "12/2020")
    expiring = Side(cards_expire)
    deleting = Side(lambda: transaction.atomic(period_delete)(periods=Period.objects.all()))
    try:
        with transaction.atomic():  # an officer's write of the earlier person's card: the card locked first
            Card.objects.select_for_update().get(pk=earlier_card.pk)
            expiring.start()
            assert wait_until_blocked(expiring, expiring.pid), "the expiry did not wait for the card"
            deleting.start()
            waited = wait_until_blocked(deleting, deleting.pid, seconds=5)
    finally:
        expiring.join()
        deleting.join()
    assert expiring.error is None and deleting.error is None, (expiring.error, deleting.error)
    assert not waited, "the periods' deletion waited for the expiry's lock of a holder"
    assert expiring.result == 2
    assert set(Card.objects.filter(pk__in=[earlier_card.pk, later_card.pk]).values_list("status", flat=True)) == {
        Card.Status.EXPIRED}
    assert not Period.objects.exists()
