"""A completed 608A that changes a detail the BHYT card prints (name, birth date, sex) reissues the
card in the same transaction: the old card, printed with the old details, reads "replaced" at a
clinic, the new one checks with the new details, and the citizen is told. A new CCCD alone, which
the card does not print, leaves the card alone."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from health_card.models import Card, CardCheck
from health_card.qr import Purpose
from health_card.results import Kind
from health_card.services import card_check, card_qr
from notifications.models import Message
from public_services.models import Filing
from public_services.services import filing_complete, filing_receive, filing_start
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401
from tests.notifications.test_notice_language import VIETNAMESE_LETTERS

from .helpers import complete, district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db


def check(**typed):
    return card_check(channel=CardCheck.Channel.TYPED, **typed).kind


def test_a_new_name_and_birth_date_give_a_new_card_and_the_old_print_reads_replaced(owner, district_officer,
                                                                                 facility):  # noqa: F811
    issue(owner.person, facility)
    old = Card.objects.get(person=owner.person, status=Card.Status.ACTIVE)
    printed = card_qr(old, purpose=Purpose.PRINT)  # the card in the citizen's wallet: old name and birth date
    filing = complete(submit(owner, "608A"), district_officer)
    new = Card.objects.get(person=owner.person, status=Card.Status.ACTIVE)
    assert new.version == old.version + 1 and new.agency_id == filing.agency_id
    assert new.reason == f"Cấp lại do thay đổi họ tên, ngày sinh (hồ sơ {filing.tracking_number})"
    assert Card.objects.get(pk=old.pk).status == Card.Status.REPLACED
    assert card_check(channel=CardCheck.Channel.QR, payload=printed).kind == Kind.REPLACED
    assert check(number=new.number, full_name="Nguyễn Văn Đức Thành", birth_date=datetime.date(1988, 3, 16)) == Kind.VALID
    fresh = card_qr(new, purpose=Purpose.PRINT)
    assert card_check(channel=CardCheck.Channel.QR, payload=fresh).payload.fields.full_name == "Nguyễn Văn Đức Thành"
    # told: by the filing's completion notice (the card sends none of its own), and in the filing's history
    assert not Message.objects.filter(template="bhyt_card_reissued").exists()
    notice = Message.objects.get(user=owner, channel=Message.Channel.INBOX, template="public_service_filing",
                                 idempotency_key__contains=f"-e{filing.events.get(status=Filing.Status.DONE).pk}-")
    assert f"(lần cấp {new.version})" in notice.body and "mã QR của thẻ cũ không còn dùng được" in notice.body
    done = Filing.objects.get(pk=filing.pk).events.get(status=Filing.Status.DONE)
    assert done.note == "Đã cấp lại thẻ BHYT (lần cấp 2) theo thông tin mới; mã QR của thẻ cũ không còn dùng được."


def test_a_holder_who_chose_english_is_told_of_the_new_card_in_english(owner, district_officer,
                                                                      facility):  # noqa: F811
    issue(owner.person, facility)
    User.objects.filter(pk=owner.pk).update(language="en")
    filing = complete(submit(owner, "608A"), district_officer)
    number = filing.tracking_number
    assert Card.objects.get(person=owner.person, status=Card.Status.ACTIVE).reason == (
        f"Cấp lại do thay đổi họ tên, ngày sinh (hồ sơ {number})")  # the card's history: as stored
    done = filing.events.get(status=Filing.Status.DONE)
    told = Message.objects.filter(user=owner, template="public_service_filing", idempotency_key__contains=f"-e{done.pk}-")
    assert {message.channel for message in told} == {Message.Channel.INBOX, Message.Channel.SMS}
    for message in told:
        assert message.language == "en" and not VIETNAMESE_LETTERS.search(message.body), message.body
    assert "The health insurance card has been reissued (issue 2)" in told.get(channel=Message.Channel.INBOX).body


def test_a_new_sex_gives_a_new_card(owner, district_officer, facility):  # noqa: F811
    issue(owner.person, facility)
    filing = complete(submit(owner, "608A", changes=["sex", "id_number"], new_full_name="", new_birth_date="",
                             new_sex="2", new_id_number="079188012345"), district_officer)
    new = Card.objects.get(person=owner.person, status=Card.Status.ACTIVE)
    assert new.version == 2 and new.reason.startswith("Cấp lại do thay đổi giới tính (hồ sơ")
    assert filing.tracking_number in new.reason


def test_a_new_cccd_alone_keeps_the_card(owner, district_officer, facility):  # noqa: F811
    issue(owner.person, facility)
    filing = complete(submit(owner, "608A", changes=["id_number"], new_full_name="", new_birth_date="",
                             new_id_number="079088099999"), district_officer)
    assert list(Card.objects.filter(person=owner.person).values_list("version", "status")) == [(1, "active")]
    assert Filing.objects.get(pk=filing.pk).events.get(status=Filing.Status.DONE).note == ""


def test_an_expired_card_is_left_alone_and_the_change_is_still_written(owner, district_officer, facility):  # noqa: F811
    card = issue(owner.person, facility)
    Card.objects.filter(pk=card.pk).update(valid_to=timezone.localdate() - datetime.timedelta(days=30))  # not yet marked
    filing = complete(submit(owner, "608A"), district_officer)
    owner.person.refresh_from_db()
    assert owner.person.full_name == "Nguyễn Văn Đức Thành"
    assert list(Card.objects.filter(person=owner.person).values_list("version", "status")) == [(1, "active")]
    assert Filing.objects.get(pk=filing.pk).events.get(status=Filing.Status.DONE).note == ""


def test_without_a_card_the_change_is_still_written(owner, district_officer):
    complete(submit(owner, "608A"), district_officer)
    owner.person.refresh_from_db()
    assert owner.person.full_name == "Nguyễn Văn Đức Thành" and not Card.objects.filter(person=owner.person).exists()


def test_the_officers_note_comes_first(owner, district_officer, facility):  # noqa: F811
    issue(owner.person, facility)
    filing = submit(owner, "608A")
    filing_receive(filing=filing, officer=district_officer)
    filing_start(filing=filing, officer=district_officer)
    filing_complete(filing=filing, officer=district_officer, note="Sổ mới gửi qua bưu điện.")
    done = Filing.objects.get(pk=filing.pk).events.get(status=Filing.Status.DONE)
    assert done.note.startswith("Sổ mới gửi qua bưu điện.\nĐã cấp lại thẻ BHYT (lần cấp 2)")


def test_a_second_click_on_complete_reissues_nothing(owner, district_officer, facility):  # noqa: F811
    from public_services.services import FilingAlreadyInStatus

    issue(owner.person, facility)
    filing = complete(submit(owner, "608A"), district_officer)
    with pytest.raises(FilingAlreadyInStatus):
        filing_complete(filing=filing, officer=district_officer)
    assert Card.objects.filter(person=owner.person).count() == 2


def test_a_childs_card_an_earlier_birth_date_has_ended_is_marked_expired_not_reissued(owner, district_officer,
                                                                                      facility):  # noqa: F811
    """Corrected from three to eight years old, a child's (TE) card ended two years ago on 30/09:
    the registry takes the birth date, the old card no longer works, and a new one is the agency's to issue."""
    from accounts.models import Guardianship
    from tests.accounts.helpers import managed_person

    today = timezone.localdate()
    corrected = datetime.date(today.year - 8, 1, 15)
    child = managed_person("7905555556", "Nguyễn Minh Khang", "07901", f"0792{corrected:%y}012345",
                           birth=datetime.date(today.year - 3, 1, 15))
    Guardianship.objects.create(parent=owner, child=child, relationship="cha")
    card = issue(child, facility, group="TE", valid_from=datetime.date(today.year - 1, 1, 1))
    filing = complete(submit(owner, "608A", person=child, changes=["birth_date"], new_full_name="",
                             new_birth_date=f"{corrected:%d/%m/%Y}"), district_officer)
    child.refresh_from_db()
    assert child.birth_date == corrected
    assert list(Card.objects.filter(person=child).values_list("version", "status")) == [(1, "expired")]
    assert check(number=card.number, full_name=child.full_name, birth_date=corrected) == Kind.EXPIRED
    assert Filing.objects.get(pk=filing.pk).events.get(status=Filing.Status.DONE).note == (
        f"Không cấp lại thẻ BHYT: theo ngày sinh mới, thẻ BHYT trẻ em dưới 6 tuổi chỉ có giá trị đến hết ngày "
        f"30/09/{today.year - 2}, nên thẻ cũ đã hết hạn và không còn dùng được. Thẻ BHYT mới phải do cơ quan BHXH "
        "cấp theo đối tượng tham gia hiện nay; hãy liên hệ cơ quan BHXH quản lý.")
    assert not Message.objects.filter(template="bhyt_card_reissued").exists()


def child_with_card(owner, facility, *, born, corrected):  # noqa: F811
    """A child of `owner`, registered as born on `born` (a CCCD of the year `corrected`, the true one), with
    a child's (TE) card that runs to the law's last day from the date registered."""
    from accounts.models import Guardianship
    from tests.accounts.helpers import managed_person

    child = managed_person("7905555556", "Nguyễn Minh Khang", "07901", f"0792{corrected:%y}012345", birth=born)
    Guardianship.objects.create(parent=owner, child=child, relationship="cha")
    return child, issue(child, facility, group="TE", valid_from=max(born, datetime.date(born.year + 1, 1, 1)))


def birth_date_corrected(owner, officer, child, corrected, language):
    """`owner`, in `language`, files a 608A giving `child` the birth date `corrected`, which `officer` completes:
    the completion's one message on each channel, by channel."""
    User.objects.filter(pk=owner.pk).update(language=language, email="bo@example.vn")
    filing = submit(owner, "608A", person=child, changes=["birth_date"], new_full_name="",
                    new_birth_date=f"{corrected:%d/%m/%Y}")
    filing_receive(filing=filing, officer=officer)
    filing_start(filing=filing, officer=officer)
    Message.objects.all().delete()
    filing_complete(filing=filing, officer=officer)
    messages = {message.channel: message for message in Message.objects.all()}
    assert set(messages) == {"inbox", "sms", "email"} and Message.objects.count() == 3, list(messages)
    return messages


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_child_s_card_ended_by_the_new_birth_date_is_told_by_the_completion(owner, district_officer, facility,
                                                                             language):  # noqa: F811
    """The notice and the e-mail say the card ended, until when the law let it run and from when it no longer
    works, and what to do; the SMS that it ended, within the step's parts."""
    from tests.notifications.sms_parts import sms_parts

    today = timezone.localdate()
    corrected = datetime.date(today.year - 8, 1, 15)
    child, card = child_with_card(owner, facility, born=datetime.date(today.year - 3, 1, 15), corrected=corrected)
    messages = birth_date_corrected(owner, district_officer, child, corrected, language)
    assert Card.objects.get(pk=card.pk).status == Card.Status.EXPIRED
    ended = f"30/09/{today.year - 2}"
    said = {"vi": (f"chỉ có giá trị đến hết ngày {ended}", f"không còn dùng được từ ngày {today:%d/%m/%Y}",
                   "hãy liên hệ cơ quan BHXH quản lý", "Thẻ BHYT trẻ em đã hết hạn."),
            "en": (f"valid only until {ended}", f"no longer usable from {today:%d/%m/%Y}",
                   "contact the managing social insurance office", "The child's card expired.")}[language]
    for channel in ("inbox", "email"):
        assert all(words in messages[channel].body for words in said[:3]), messages[channel].body
    sms = messages["sms"].body
    assert sms.endswith(f". {said[3]}") and ended not in sms and sms_parts(sms) <= 2, (len(sms), sms)
    if language == "en":
        assert not any(VIETNAMESE_LETTERS.search(message.body.replace(child.full_name, ""))
                       for message in messages.values())


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_child_s_card_reissued_to_an_earlier_end_tells_its_new_end(owner, district_officer, facility,
                                                                    language):  # noqa: F811
    """Corrected from three to five years old, the child's card still runs a while: it is reissued to end on
    the law's last day from the new birth date, which the notice, the e-mail and the SMS say."""
    from health_card.selectors import child_card_valid_to
    from tests.notifications.sms_parts import sms_parts

    today = timezone.localdate()
    corrected = datetime.date(today.year - 5, 3, 1)
    child, card = child_with_card(owner, facility, born=datetime.date(today.year - 3, 3, 1), corrected=corrected)
    messages = birth_date_corrected(owner, district_officer, child, corrected, language)
    new = Card.objects.get(person=child, status=Card.Status.ACTIVE)
    end = child_card_valid_to(corrected)
    assert new.version == card.version + 1 and new.valid_to == end and end < card.valid_to
    said = {"vi": (f"(lần cấp {new.version})", f"Theo ngày sinh mới, thẻ có giá trị đến hết ngày {end:%d/%m/%Y}."),
            "en": (f"(issue {new.version})", f"By the new birth date, the card is valid until {end:%d/%m/%Y}.")}
    for channel in ("inbox", "email"):
        assert all(words in messages[channel].body for words in said[language]), messages[channel].body
    sms = messages["sms"].body
    assert f"{end:%d/%m/%Y}" in sms and sms_parts(sms) <= 2, (len(sms), sms)
