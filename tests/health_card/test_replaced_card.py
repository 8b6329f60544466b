"""A check of a card that was replaced names the card in use (maTheMoi), read by one selector."""

import pytest

from health_card.models import Card
from health_card.selectors import replacing_card_number
from health_card.services import reissue_card

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


def test_the_card_in_use_is_named_for_a_replaced_one(card, holder, django_assert_num_queries):
    new = reissue_card(holder.person, "Mất thẻ")
    card.refresh_from_db()
    assert card.status == Card.Status.REPLACED
    with django_assert_num_queries(1):
        assert replacing_card_number(person=holder.person) == new.legacy_number
    Card.objects.filter(pk=new.pk).update(status=Card.Status.REVOKED)
    assert replacing_card_number(person=holder.person) is None
