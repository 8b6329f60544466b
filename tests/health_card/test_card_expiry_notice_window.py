"""The nightly expiry tells the holder of a card that ended within the last week (services.EXPIRY_NOTICE_DAYS,
seven days: the task missed some nights) and marks one that ended before that without a notice: its holder has
long known. The edge is a day: a card that ended seven days before the run is told, eight days before is not."""

import datetime

import pytest
from django.utils import timezone

from health_card.models import Card
from health_card.services import cards_expire
from notifications.models import Message

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
WEEK = 7  # a week of nights the task missed is still told


def test_a_card_that_ended_a_week_before_the_run_is_told_and_one_a_day_older_is_only_marked(holder, card, stranger):
    today = timezone.localdate()
    Card.objects.filter(pk=card.pk).update(valid_to=today - WEEK * DAY)
    older = Card.objects.get(person=stranger.person)
    Card.objects.filter(pk=older.pk).update(valid_to=today - (WEEK + 1) * DAY)

    assert cards_expire(today=today) == 2
    assert set(Card.objects.filter(pk__in=[card.pk, older.pk]).values_list("status", flat=True)) == {Card.Status.EXPIRED}
    told = set(Message.objects.filter(template="bhyt_card_expired").values_list("user", flat=True))
    assert holder.pk in told and stranger.pk not in told
