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

from accounts.models import Guardianship, Person
from health_card.models import Card
from health_card.services import cards_expire
from notifications.models import Message
from participation.models import Period
from participation.services.periods import period_delete
from tests.accounts.helpers import born_years_ago, cccd_for, make_person
from tests.db_locks import wait_until_blocked
from tests.participation.helpers import period
from tests.participation.test_locks import Side

from .card_fixtures import facility, holder, issue, signing_keys  # noqa: F401

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


def test_a_childs_name_corrected_while_the_expiry_waits_for_the_card_is_the_one_the_parent_is_told(
        reference_data, facility, holder):  # noqa: F811
    """A 608A's completion correcting the child's name commits while the run waits for the child's card: the
    run reads the holder once it marked the card, not with the card, which is all PostgreSQL reads again after
    the wait."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time, so no run waits for a card")
    born = born_years_ago(10)
    child = make_person("7905555556", "Nguyễn Gia Bảo", birth=born, id_number=cccd_for(born))
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    childs_card = issue(child, facility, group="HS", valid_to=timezone.localdate() - datetime.timedelta(days=1))
    expiring = Side(cards_expire)
    try:
        with transaction.atomic():  # the officer's completion: the card locked, then the name corrected
            Card.objects.select_for_update().get(pk=childs_card.pk)
            expiring.start()
            assert wait_until_blocked(expiring, expiring.pid), "the expiry did not wait for the card"
            Person.objects.filter(pk=child.pk).update(full_name="Nguyễn Gia Bảo Anh")
    finally:
        expiring.join()
    assert expiring.error is None and expiring.result == 1, expiring.error
    told = Message.objects.get(template="bhyt_card_expired", channel=Message.Channel.INBOX, user=holder)
    assert told.subject == "Thẻ BHYT của Nguyễn Gia Bảo Anh đã hết hạn"
