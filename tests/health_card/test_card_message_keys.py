"""What a card's messages say and carry by SMS. The outbox key travels to the SMS gateway, as the
message's id and its Idempotency-Key header: it names the card by its row, never by its number, which
is the holder's BHXH code. The text is read on a lock screen: an officer's reason for a reissue or a
revocation is the notice's, not the SMS's."""

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



def test_a_card_s_sms_quotes_no_officer_s_reason_which_the_notice_keeps(holder, card):  # noqa: F811
    reasons = {"bhyt_card_reissued": "Cấp lại do thẻ hỏng: Thẻ bị ướt, mờ chữ",
               "bhyt_card_revoked": "Người tham gia đã có thẻ do đơn vị khác cấp"}
    new = reissue_card(holder.person, reasons["bhyt_card_reissued"])
    card_revoke(card=Card.objects.get(pk=new.pk), reason=reasons["bhyt_card_revoked"])
    for template, reason in reasons.items():
        sms = Message.objects.get(template=template, channel=Message.Channel.SMS)
        assert "Lý do" not in sms.body and reason not in sms.body, sms.body
        assert reason in Message.objects.get(template=template, channel=Message.Channel.INBOX).body
