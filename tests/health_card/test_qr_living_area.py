"""QR field 11, the living-area code hospital software reads (DESIGN.md, "Health card QR"): 5, 6 and 7 for
K1, K2 and K3, which give the holder the benefit outside the initial facility; any other value for none. A
card of a K2 commune written as K1 (or as none) is paid at the wrong rate."""

import pytest

from health_card import qr
from health_card.models import Card
from health_card.qr import Purpose
from health_card.services import card_qr

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("area", "code"), [
    (Card.LivingArea.K1, "5"), (Card.LivingArea.K2, "6"), (Card.LivingArea.K3, "7"), ("", "4"),
])
def test_each_living_area_is_written_in_its_own_code(card, area, code):
    Card.objects.filter(pk=card.pk).update(living_area=area)
    payload = card_qr(Card.objects.get(pk=card.pk), purpose=Purpose.PRINT)
    assert payload.split("|")[11] == code
    assert qr.parse(payload).fields.living_area == code
