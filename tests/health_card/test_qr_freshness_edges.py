"""The edges of an on-screen QR's ten minutes (DESIGN.md, "Health card QR": the issued-at makes an on-screen QR
good for ten minutes) and of the clock difference a clinic's scan is allowed: a QR is judged at the second it
is checked, so a desk's answer does not depend on which side of a rounding the scan fell."""

import datetime
import time

import pytest
from django.utils import timezone

from health_card import qr
from health_card.models import Card
from health_card.qr import Kind, Purpose
from health_card.services import card_check, card_qr

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db

TEN_MINUTES = 10 * 60  # what the holder's page and the clinic's answer say ("chỉ dùng được 10 phút")


def checked_at(payload: str, unix: int):
    return card_check(channel="qr", payload=payload, now=datetime.datetime.fromtimestamp(unix, datetime.UTC))


def test_an_on_screen_qr_is_good_for_its_whole_ten_minutes_and_not_a_second_more(card):
    issued_at = int(time.time())
    payload = card_qr(card, purpose=Purpose.SCREEN, issued_at=issued_at)
    assert checked_at(payload, issued_at + TEN_MINUTES).kind == Kind.VALID
    assert checked_at(payload, issued_at + TEN_MINUTES + 1).kind == Kind.QR_EXPIRED


def test_a_printed_qr_does_not_expire_after_ten_minutes(card):
    issued_at = int(time.time())
    payload = card_qr(card, purpose=Purpose.PRINT, issued_at=issued_at)
    assert checked_at(payload, issued_at + TEN_MINUTES + 1).kind == Kind.VALID


def test_a_qr_issued_ahead_of_the_portals_clock_is_taken_within_the_allowed_difference_only(card):
    """A phone's clock a little ahead of the portal's still shows a QR the desk can take; one dated
    further ahead is not yet usable, whatever its purpose."""
    now = int(time.time())
    for purpose in Purpose:
        within = card_qr(card, purpose=purpose, issued_at=now + qr.CLOCK_SKEW_SECONDS)
        beyond = card_qr(card, purpose=purpose, issued_at=now + qr.CLOCK_SKEW_SECONDS + 1)
        assert checked_at(within, now).kind == Kind.VALID, purpose
        assert checked_at(beyond, now).kind == Kind.QR_ISSUED_AHEAD, purpose


@pytest.mark.parametrize("status", [None, Card.Status.EXPIRED, Card.Status.REVOKED, Card.Status.REPLACED])
def test_a_card_that_has_ended_is_the_answer_to_its_stale_on_screen_qr(card, status):
    """A fresh QR would not help (the card page of such a card has none to open): the desk is told the card
    ended, not to ask for the QR again. None: an active card past its end date, not yet marked."""
    ended = {"valid_to": timezone.localdate() - datetime.timedelta(days=1)} if status is None else {"status": status}
    Card.objects.filter(pk=card.pk).update(**ended)
    card.refresh_from_db()
    issued_at = int(time.time())
    stale = card_qr(card, purpose=Purpose.SCREEN, issued_at=issued_at)
    assert checked_at(stale, issued_at + TEN_MINUTES + 1).kind == {
        None: Kind.EXPIRED, Card.Status.EXPIRED: Kind.EXPIRED, Card.Status.REVOKED: Kind.REVOKED,
        Card.Status.REPLACED: Kind.REPLACED}[status]
