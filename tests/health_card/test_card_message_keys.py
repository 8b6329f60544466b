"""The outbox key of a card's messages travels to the SMS gateway, as the message's id and its
Idempotency-Key header: it names the card by its row, never by its number, which is the holder's
BHXH code."""

import pytest

from health_card.models import Card
from health_card.services import card_revoke, reissue_card
from notifications.models import Message

from .card_fixtures import card, facility, holder, signing_keys  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_reissued_then_revoked_card_s_sms_ids_carry_no_bhxh_code(holder, card, sms_outbox,  # noqa: F811
                                                                    django_capture_on_commit_callbacks):
    code = holder.person.bhxh_code
    with django_capture_on_commit_callbacks(execute=True):
        new = reissue_card(holder.person, "Cấp lại do thẻ hỏng")
    with django_capture_on_commit_callbacks(execute=True):
        card_revoke(card=Card.objects.get(pk=new.pk), reason="Gian lận trong việc cấp thẻ BHYT")
    keys = list(Message.objects.values_list("template", "idempotency_key"))
    assert sorted(template for template, _ in keys) == ["bhyt_card_reissued"] * 2 + ["bhyt_card_revoked"] * 2
    assert not [key for _, key in keys if code in key], keys
    sent = sms_outbox()
    assert len(sent) == 2 and not [sms["id"] for sms in sent if code in sms["id"]], sent
    assert len({key for _, key in keys}) == 4  # one key each

