"""Completing a filing that reissues the BHYT card (a BHYT-CL, a 608A whose new details the card prints)
tells the holder once, by the filing's own completion (a notice, an SMS and an e-mail): the notice and
the e-mail say the card was reissued, its issue number, from when it is used and where, the SMS that the
new card works at once. The card reissued sends nothing of its own, while a card an officer reissues at
the counter, by no filing, is told of as before."""

import pytest
from django.utils import translation

from accounts.models import User
from health_card.models import Card
from health_card.services import reissue_card
from notifications.models import Message
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401
from tests.notifications.sms_parts import sms_parts
from tests.notifications.test_notice_language import VIETNAMESE_LETTERS
from vssid_portal.templatetags.vn_format import vn_date

from .helpers import complete, district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

TOLD = {"vi": ("Thẻ BHYT đã được cấp lại (lần cấp {version}), dùng được từ ngày {date}; mã QR của thẻ cũ không còn "
               "dùng được. Mở mục Thẻ BHYT để dùng thẻ mới.", "Thẻ BHYT mới dùng được ngay."),
        "en": ("The health insurance card has been reissued (issue {version}), usable from {date}; the old card's "
               "QR code no longer works. Open Health insurance card to use the new one.",
               "New card usable now.")}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("code", ["BHYT-CL", "608A"])
def test_a_card_reissued_by_a_filing_s_completion_is_told_once_by_the_filing(owner, district_officer, facility,
                                                                            code, language):  # noqa: F811
    old = issue(owner.person, facility)
    User.objects.filter(pk=owner.pk).update(language=language)
    filing = complete(submit(owner, code), district_officer, completion_messages_only=True)
    card = Card.objects.get(person=owner.person, status=Card.Status.ACTIVE)
    assert card.version == old.version + 1  # reissued
    messages = {message.channel: message for message in Message.objects.all()}
    assert Message.objects.count() == 3 and set(messages) == {"inbox", "sms", "email"}
    assert {message.template for message in messages.values()} == {"public_service_filing"}
    told, texted = TOLD[language]
    told = told.format(version=card.version, date=vn_date(card.issued_on))
    for channel in ("inbox", "email"):
        assert filing.tracking_number in messages[channel].body and told in messages[channel].body
    sms = messages["sms"].body
    assert filing.tracking_number in sms and sms.endswith(f". {texted}") and sms_parts(sms) <= 2, sms
    if language == "en":
        assert not any(VIETNAMESE_LETTERS.search(message.body) for message in messages.values())


def test_a_completion_that_reissues_no_card_says_nothing_of_one(owner, district_officer, facility):  # noqa: F811
    issue(owner.person, facility)
    filing = submit(owner, "BHYT-CL")
    reissue_card(owner.person, "Cấp lại do mất thẻ")  # at the counter meanwhile: the filing leaves it alone
    complete(filing, district_officer, completion_messages_only=True)
    assert Card.objects.filter(person=owner.person).count() == 2
    assert set(Message.objects.values_list("template", flat=True)) == {"public_service_filing"}
    assert not any("Thẻ BHYT mới" in message.body or "Thẻ BHYT đã được cấp lại" in message.body
                   for message in Message.objects.all())


def test_a_card_reissued_at_the_counter_still_tells_its_holder(owner, district_officer, facility):  # noqa: F811
    old = issue(owner.person, facility)
    card = reissue_card(owner.person, "Thẻ bị hỏng", replacing=old, officer=district_officer)
    told = Message.objects.filter(user=owner, template="bhyt_card_reissued")
    assert sorted(told.values_list("channel", flat=True)) == ["inbox", "sms"]
    with translation.override("vi"):
        assert f"(lần cấp {card.version}). Lý do: Thẻ bị hỏng" in told.get(channel="inbox").body
        sms = told.get(channel="sms").body
        assert f"(lần cấp {card.version})" in sms and "Thẻ bị hỏng" not in sms  # no reason on a lock screen
