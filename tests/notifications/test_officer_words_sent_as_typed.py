"""Every field where an officer types words the citizen receives as typed (a filing's rejection or
return, a registration's refusal, a benefit's refusal, a card's reason, a feedback's answer) says so
beside it, with a shared text, so that an internal note is not sent by mistake; a card's reason and a
benefit's refusal, told by notice and SMS only (person_notify), say so without the e-mail."""

import pytest
from django.test import Client

from benefits.admin import BenefitRecordAdminForm
from health_card.admin.card import REISSUE_REASONS, REVOKE_REASONS, CardReasonForm
from notifications.texts import SENT_AS_TYPED, SENT_AS_TYPED_IN_NOTICE
from public_services.feedback_admin import FeedbackAnswerForm
from tests.accounts.helpers import make_person, officer
from tests.accounts.helpers import submit as submit_registration
from tests.public_services.helpers import district_officer, owner, submit  # noqa: F401

SENT = ("Nội dung này được gửi cho người dân đúng như đã nhập, qua thư điện tử và hộp thư trên Cổng (tin nhắn SMS chỉ "
        "mang phần đầu); không ghi chú nội bộ.")
SENT_IN_NOTICE = ("Nội dung này được gửi cho người dân đúng như đã nhập, qua thông báo trên Cổng và tin nhắn SMS (SMS "
                  "chỉ mang phần đầu); không ghi chú nội bộ.")


def test_the_shared_texts_say_the_words_go_as_typed():
    assert str(SENT_AS_TYPED) == SENT and str(SENT_AS_TYPED_IN_NOTICE) == SENT_IN_NOTICE


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["reject", "return"])
def test_a_filing_s_note_page_says_the_note_goes_to_the_citizen_as_typed(owner, district_officer, step):
    filing = submit(owner)
    client = Client()
    client.force_login(district_officer)
    client.post(f"/quan-tri/public_services/filing/{filing.pk}/buoc/receive/")
    html = client.get(f"/quan-tri/public_services/filing/{filing.pk}/ghi-chu/{step}/").content.decode()
    assert f'<div class="help" id="note-sent">{SENT}</div>' in html
    assert 'aria-describedby="note-sent"' in html


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_data")
def test_a_registration_s_reject_page_says_the_reason_goes_to_the_citizen_as_typed(client):
    registration = submit_registration(make_person("7901000001", "Trần Thị Lan", id_number="079188012345", sex=2),
                                       "07901")
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    html = client.get(f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/").content.decode()
    assert f'<div class="help" id="reason-sent">{SENT}</div>' in html
    assert 'aria-describedby="reason-sent"' in html


@pytest.mark.parametrize("reasons", [REISSUE_REASONS, REVOKE_REASONS])
def test_a_card_s_reason_details_say_they_go_to_the_holder_as_typed_by_notice_and_sms(reasons):
    assert SENT_IN_NOTICE in str(CardReasonForm(reasons=reasons).fields["details"].help_text)


def test_a_benefit_s_refusal_says_it_goes_to_the_holder_as_typed_by_notice_and_sms():
    assert SENT_IN_NOTICE in str(BenefitRecordAdminForm().fields["reject_reason"].help_text)


def test_a_feedback_s_answer_says_it_goes_to_the_sender_as_typed():
    assert str(FeedbackAnswerForm().fields["answer"].help_text) == SENT
