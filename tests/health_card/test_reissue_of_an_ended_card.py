"""A card past its end date, not yet marked by the nightly expiry, is not reissued, whatever end date the
reissue would give the new card (a 608A's correction may give one): the holder needs a new card for the
BHYT they take up again, and a reissue would carry the old card's first day and version on as if it ran on."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from health_card.models import Card
from health_card.services import reissue_card

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_a_card_past_its_end_is_not_reissued_with_a_new_end_date(holder, card):
    today = timezone.localdate()
    Card.objects.filter(pk=card.pk).update(valid_to=today - DAY)
    with pytest.raises(ValidationError, match="đã hết hạn"):
        reissue_card(holder.person, "Cấp lại do mất thẻ", valid_to=today + 365 * DAY)
    assert list(Card.objects.filter(person=holder.person).values_list("version", "status")) == [(1, "active")]
