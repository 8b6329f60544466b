"""An SMS is read on a lock screen, by whoever holds the phone: a change of a benefit record or of the
participation history is told by SMS only as an update and where to read it, without the benefit's type
(sickness, maternity, a work accident tell of the holder's health), the reference, the agency, an officer's
reason, the employer or the amounts, which the notice in the portal keeps."""

import datetime

import pytest

from benefits.models import BenefitRecord
from benefits.services import benefit_save, benefit_set_status
from notifications.models import Message
from participation.services.periods import period_save
from tests.benefits.helpers import child_of, childs_dates, citizen, decided, record
from tests.notifications.sms_parts import sms_parts
from tests.participation.helpers import period

pytestmark = pytest.mark.usefixtures("reference_data")
Kind, Status = BenefitRecord.Kind, BenefitRecord.Status

# What the notice says of each kind, which tells of the holder's health
HEALTH_WORDS = {Kind.SICKNESS: ["ốm đau"], Kind.MATERNITY: ["thai sản"],
                Kind.ACCIDENT: ["tai nạn", "bệnh nghề nghiệp", "TNLĐ"]}
REASON = "Giấy ra viện của Bệnh viện Từ Dũ không hợp lệ"
LONGEST_NAME = "Công Tằng Tôn Nữ Thị Hoàng Phương Thảo"


def told(user, channel):
    return list(Message.objects.filter(user=user, channel=channel).order_by("pk"))


@pytest.mark.parametrize("kind", sorted(HEALTH_WORDS))
def test_a_benefit_record_s_sms_says_only_that_it_was_updated_and_where(db, kind, django_capture_on_commit_callbacks):
    user = citizen()
    obj = record(user.person, kind, save=False)
    with django_capture_on_commit_callbacks(execute=True):
        benefit_save(record=obj)
        benefit_set_status(record=obj, status=Status.REJECTED, reason=REASON)
    sms, notices = told(user, Message.Channel.SMS), told(user, Message.Channel.INBOX)
    assert [m.template for m in sms] == ["benefit_received", "benefit_updated"]
    for message in sms:
        said = message.body.casefold()
        hidden = [*HEALTH_WORDS[kind], obj.reference, obj.agency.name, REASON, "Bệnh viện"]
        assert not [words for words in hidden if words.casefold() in said], message.body
        assert "Thông tin hưởng" in message.body and "Cổng BHXH số" in message.body, message.body
        assert sms_parts(message.body) <= 2, (len(message.body), message.body)
    # the notice keeps the details
    assert obj.reference in notices[0].body and obj.agency.name in notices[0].body
    assert HEALTH_WORDS[kind][0] in notices[0].body.casefold() and REASON in notices[1].body


def test_a_paid_benefit_s_sms_carries_no_decision_date_or_amount(db, django_capture_on_commit_callbacks):
    user = citizen()
    obj = record(user.person, Kind.MATERNITY, **decided())
    obj = BenefitRecord.objects.get(pk=obj.pk)
    with django_capture_on_commit_callbacks(execute=True):
        benefit_set_status(record=obj, status=Status.PAID, paid_on=datetime.date(2025, 9, 20))
    [sms] = told(user, Message.Channel.SMS)
    for words in ["123/QĐ-BHXH", "20/09/2025", "11.531.338", "Đã chi trả"]:
        assert words not in sms.body, sms.body
    assert "123/QĐ-BHXH" in told(user, Message.Channel.INBOX)[0].body


def test_a_child_s_benefit_sms_to_a_parent_names_the_child_only(db, django_capture_on_commit_callbacks):
    parent = citizen()
    child = child_of(parent, name=LONGEST_NAME)
    obj = record(child, Kind.ACCIDENT, save=False, **childs_dates(child))
    with django_capture_on_commit_callbacks(execute=True):
        benefit_save(record=obj)
    [sms] = told(parent, Message.Channel.SMS)
    assert LONGEST_NAME in sms.body and "tai nạn" not in sms.body and obj.reference not in sms.body, sms.body
    assert sms_parts(sms.body) <= 2, (len(sms.body), sms.body)


def test_a_participation_period_s_sms_names_no_employer_amount_or_months(db, django_capture_on_commit_callbacks):
    user = citizen()
    saved = period(user.person, "03/2024", "10/2025", base=18_581_000, save=False)
    with django_capture_on_commit_callbacks(execute=True):
        period_save(period=saved)
    [sms] = told(user, Message.Channel.SMS)
    for words in [saved.employer.name, "18.581.000", "03/2024", "10/2025", "bắt buộc"]:
        assert words not in sms.body, sms.body
    assert "Quá trình tham gia" in sms.body and "Cổng BHXH số" in sms.body and sms_parts(sms.body) <= 2, sms.body
    [notice] = told(user, Message.Channel.INBOX)
    assert saved.employer.name in notice.body and "18.581.000" in notice.body
