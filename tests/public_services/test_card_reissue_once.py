"""A card-reissue filing (BHYT-CL) reissues the card it was filed about, and only that one: when the
card was replaced meanwhile in another way (an officer reissued it, a new card after it expired, a
completed 608A), completing the filing leaves the card the citizen has just received alone and
says so in its history."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from health_card.models import BeneficiaryGroup, Card
from health_card.services import card_issue, reissue_card
from lookup.models import Agency
from notifications.models import Message
from public_services.models import Filing
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401
from tests.notifications.test_notice_language import VIETNAMESE_LETTERS

from .helpers import complete, district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db


def active(person) -> Card:
    return Card.objects.get(person=person, status=Card.Status.ACTIVE)


def done_note(filing) -> str:
    return filing.events.get(status=Filing.Status.DONE).note


def test_a_card_reissued_by_an_officer_meanwhile_is_not_reissued_again(owner, district_officer, facility):  # noqa: F811
    issue(owner.person, facility)
    filing = submit(owner, "BHYT-CL")
    new = reissue_card(owner.person, "Cấp lại do mất thẻ")  # at the counter, before the filing is handled
    filing = complete(filing, district_officer)
    assert filing.status == Filing.Status.DONE
    assert active(owner.person).pk == new.pk and Card.objects.filter(person=owner.person).count() == 2
    assert done_note(filing) == ("Không cấp lại thẻ BHYT theo hồ sơ này: thẻ lần 1 đã được thay bằng thẻ lần 2 cấp "
                                 f"ngày {timezone.localdate():%d/%m/%Y}, là thẻ đang sử dụng.")


def test_a_new_card_issued_after_the_old_one_expired_is_not_reissued(owner, district_officer, facility):  # noqa: F811
    old = issue(owner.person, facility)
    filing = submit(owner, "BHYT-CL")
    Card.objects.filter(pk=old.pk).update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    new = card_issue(person=owner.person, group=BeneficiaryGroup.objects.get(code="DN"), facility=facility,
                     agency=Agency.objects.get(code="07901"), valid_from=timezone.localdate(),
                     issued_on=datetime.date(2026, 1, 2))
    filing = complete(filing, district_officer)
    assert active(owner.person).pk == new.pk and new.version == 2
    assert "thẻ lần 1 đã được thay bằng thẻ lần 2 cấp ngày 02/01/2026" in done_note(filing)


def test_a_card_reissued_by_a_608a_meanwhile_is_not_reissued_again(owner, district_officer, facility):  # noqa: F811
    issue(owner.person, facility)
    card_filing = submit(owner, "BHYT-CL")
    complete(submit(owner, "608A"), district_officer)  # the new name's card: version 2
    complete(card_filing, district_officer)
    assert active(owner.person).version == 2 and Card.objects.filter(person=owner.person).count() == 2


def test_the_card_filed_about_is_still_reissued(owner, district_officer, facility):  # noqa: F811
    old = issue(owner.person, facility)
    filing = complete(submit(owner, "BHYT-CL"), district_officer)
    assert filing.identity["bhyt_card_version"] == 1
    assert active(owner.person).version == 2 and Card.objects.get(pk=old.pk).status == Card.Status.REPLACED
    assert done_note(filing) == ""


@pytest.mark.parametrize("reason", ["mat", "hong"])
def test_the_card_keeps_its_reason_in_vietnamese_and_the_holder_is_told_by_the_filing_in_english(
        owner, district_officer, facility, reason):  # noqa: F811
    issue(owner.person, facility)
    User.objects.filter(pk=owner.pk).update(language="en")
    filing = complete(submit(owner, "BHYT-CL", reason=reason), district_officer)
    kept = "Cấp lại do mất thẻ" if reason == "mat" else "Cấp lại do thẻ hỏng"
    assert active(owner.person).reason == f"{kept} (hồ sơ {filing.tracking_number})"
    assert not Message.objects.filter(template="bhyt_card_reissued").exists()  # the filing's completion tells
    done = filing.events.get(status=Filing.Status.DONE)
    told = Message.objects.filter(user=owner, template="public_service_filing", idempotency_key__contains=f"-e{done.pk}-")
    assert {message.channel for message in told} == {Message.Channel.INBOX, Message.Channel.SMS}
    for message in told:
        assert message.language == "en" and not VIETNAMESE_LETTERS.search(message.body), message.body


def test_a_608a_reissues_a_card_given_after_its_submission(owner, district_officer, facility):  # noqa: F811
    """Every card given before the correction prints the old details, one reissued meanwhile too."""
    issue(owner.person, facility)
    filing = submit(owner, "608A")
    reissue_card(owner.person, "Cấp lại do mất thẻ")
    complete(filing, district_officer)
    assert active(owner.person).version == 3
