"""Every field where an officer types words the citizen receives as typed (a filing's rejection or
return, a registration's refusal, a benefit's refusal, a card's reason, a feedback's answer) says so
beside it, so that an internal note is not sent by mistake, in the one sentence that names the
channels (notifications.texts.sent_as_typed); and the channels it names are those on which the words
then really go: the messages sent after the page was read are compared with it."""

import pytest
from django.test import Client
from django.utils import translation

from accounts.models import Registration, User
from accounts.services.registration import registration_reject
from benefits.admin import BenefitRecordAdminForm
from health_card.admin.card import REISSUE_REASONS, REVOKE_REASONS, CardReasonForm
from lookup.models import Agency
from notifications.models import Message
from notifications.texts import sent_as_typed, sent_as_typed_to_each
from public_services.admin.feedback import FeedbackAnswerForm
from public_services.services import feedback_answer, feedback_submit, filing_receive, filing_reject, filing_return
from tests.accounts.helpers import make_person, officer
from tests.accounts.helpers import submit as submit_registration
from tests.accounts.test_child_account import child, parent, send  # noqa: F401
from tests.benefits.helpers import record
from tests.public_services.helpers import district_officer, owner, submit  # noqa: F401
from tests.public_services.test_filed_for_a_grown_child import returned  # noqa: F401

INBOX, SMS, EMAIL = Message.Channel.INBOX, Message.Channel.SMS, Message.Channel.EMAIL
NOTICE_ONLY = sent_as_typed([INBOX])
DISTRICT = "Cán bộ BHXH cơ sở"


LABELS = {"reject": "Lý do từ chối", "return": "Nội dung người nộp cần bổ sung, sửa đổi"}


def field(html: str) -> str:
    """The officer's field on a decision page, its label, box and the sentence under it."""
    return html.split('<div class="form-row">', 1)[1].split('<div class="submit-row">', 1)[0]


def carrying(words: str, template: str) -> list[str]:
    """The channels of the messages of `template` that quote `words`, in the order sent_as_typed names them."""
    sent = {message.channel for message in Message.objects.filter(template=template) if words in message.body}
    return [channel for channel in (INBOX, SMS, EMAIL) if channel in sent]


@pytest.mark.parametrize("channels, said", [
    ([INBOX, SMS, EMAIL], "qua thông báo trên Cổng, tin nhắn SMS (chỉ mang phần đầu) và thư điện tử;"),
    ([EMAIL, SMS], "qua tin nhắn SMS (chỉ mang phần đầu) và thư điện tử;"),
    ([SMS], "qua tin nhắn SMS (chỉ mang phần đầu);"),
    ([EMAIL], "qua thư điện tử;"),
])
def test_the_sentence_names_the_channels_it_is_given_and_no_other(channels, said):
    assert str(sent_as_typed(channels)) == (f"Nội dung này được gửi cho người dân đúng như đã nhập, {said} không "
                                            "ghi chú nội bộ.")


def test_the_sentence_is_written_in_the_language_of_the_page():
    with translation.override("en"):
        assert str(sent_as_typed([INBOX, SMS, EMAIL])) == (
            "This text is sent to the citizen exactly as typed, by a notice on the portal, by SMS (its beginning "
            "only) and by email; write no internal notes.")
    assert str(sent_as_typed([INBOX, SMS])) == ("Nội dung này được gửi cho người dân đúng như đã nhập, qua thông "
                                                "báo trên Cổng và tin nhắn SMS (chỉ mang phần đầu); không ghi chú nội "
                                                "bộ.")


def test_words_sent_to_several_people_told_differently_say_how_many_are_told_how():
    """A card reason for the cards of several holders: the sentence is true of each of them."""
    told, untold = [INBOX, SMS], []
    assert str(sent_as_typed_to_each([told, told])) == str(sent_as_typed(told))
    assert str(sent_as_typed_to_each([untold, untold])) == str(sent_as_typed([]))
    mixed = sent_as_typed_to_each([told, untold, told, [INBOX]])
    assert str(mixed) == ("Nội dung này được gửi đúng như đã nhập: 2 người qua thông báo trên Cổng và tin nhắn SMS "
                          "(chỉ mang phần đầu); 1 người qua thông báo trên Cổng; 1 người không nhận tin nào vì không "
                          "có tài khoản đang hoạt động nào trên Cổng được xem hồ sơ của họ. Không ghi chú nội bộ.")
    with translation.override("en"):
        assert str(mixed) == ("This text is sent exactly as typed: 2 people by a notice on the portal and by SMS (its "
                              "beginning only); 1 person by a notice on the portal; 1 person receives no message, as "
                              "no active login on the portal may view their records. Write no internal notes.")


@pytest.mark.django_db
@pytest.mark.parametrize("with_email", [True, False])
@pytest.mark.parametrize("step", ["reject", "return"])
def test_a_filing_s_note_page_names_the_channels_the_note_goes_by(owner, district_officer, step, with_email):
    """The notice and the SMS to the logins that view it, and an e-mail only where there is an address; a
    refusal's reason not by SMS, read on a lock screen, which says only that the filing was refused."""
    if not with_email:
        owner.email = ""
        owner.save(update_fields=["email"])
    filing = submit(owner)
    filing_receive(filing=filing, officer=district_officer)
    client = Client()
    client.force_login(district_officer)
    html = client.get(f"/quan-tri/public_services/filing/{filing.pk}/ghi-chu/{step}/").content.decode()
    note = "Ảnh giấy khai sinh bị mờ"
    if step == "reject":
        filing_reject(filing=filing, officer=district_officer, reason=note)
    else:
        filing_return(filing=filing, officer=district_officer, what=note)
    channels = carrying(note, "public_service_filing")
    texted = [SMS] if step == "return" else []
    assert channels == [INBOX, *texted, *([EMAIL] if with_email else [])]
    if step == "reject":  # the SMS says the step and where to read why
        assert Message.objects.get(template="public_service_filing", channel=SMS,
                                   body__contains="từ chối").body.endswith(" – từ chối giải quyết. Lý do: xem Cổng BHXH số.")
    assert f'<div class="help" id="note-sent">{sent_as_typed(channels)}</div>' in html
    assert 'aria-describedby="note-sent"' in html
    # The label names no channel: the sentence under it alone says where the words go.
    assert f'<label for="id_note" class="required">{LABELS[step]}</label>' in html
    if not with_email:
        assert "thư điện tử" not in field(html)


@pytest.mark.django_db
def test_a_filing_nobody_may_view_says_its_note_goes_in_no_message(returned, district_officer):
    """A child's filing, the child 18 since without a login: the parent who filed is told of the step
    without the note (filer_told_instead), which the grown person reads once registered."""
    client = Client()
    client.force_login(district_officer)
    html = client.get(f"/quan-tri/public_services/filing/{returned.pk}/ghi-chu/reject/").content.decode()
    note = "Hồ sơ không được bổ sung trong thời hạn"
    filing_reject(filing=returned, officer=district_officer, reason=note)
    assert Message.objects.filter(template="public_service_filing_left").exists()
    assert not [message for message in Message.objects.all() if note in message.body]
    assert f'<div class="help" id="note-sent">{sent_as_typed([])}</div>' in html
    assert f'<label for="id_note" class="required">{LABELS["reject"]}</label>' in html
    assert "thư điện tử" not in field(html)


def test_words_sent_by_no_message_are_said_to_go_by_none_as_no_active_login_may_view_the_records():
    """Nobody may view the records: no notice, SMS or e-mail carries the words, said in the words of
    the several holders' sentence, since the holder may also be one whose own login was deactivated (a
    code that cannot register again) or an adult whose only login is a parent's, for whom "once they
    have an account" was untrue."""
    assert str(sent_as_typed([])) == ("Nội dung này không được gửi qua thông báo, SMS hay thư nào vì không có tài "
                                      "khoản đang hoạt động nào trên Cổng được xem hồ sơ của họ; không ghi chú nội bộ.")
    with translation.override("en"):
        assert str(sent_as_typed([])) == ("This text is not sent by any notice, SMS or email, as no active login on "
                                          "the portal may view their records; write no internal notes.")


def refused_from_its_page(client, registration, reason):
    """The reject page as the district officer opens it, then the refusal: the page and the channels
    of the messages that carry the reason."""
    approver = officer("canbo07901", "07901", DISTRICT)
    client.force_login(approver)
    html = client.get(f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/").content.decode()
    registration_reject(registration=registration, officer=approver, reason=reason)
    return html, carrying(reason, "registration_rejected")


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("email", ["lan@example.vn", ""])
def test_a_registration_s_reject_page_names_no_inbox_the_registrant_has_not(client, email):
    """A registrant without a login yet is told by SMS and, if an address was given, by e-mail."""
    registration = submit_registration(make_person("7901000001", "Trần Thị Lan", id_number="079188012345", sex=2),
                                       "07901", email=email)
    html, channels = refused_from_its_page(client, registration, "Ảnh CCCD mờ, vui lòng chụp lại")
    assert channels == ([SMS, EMAIL] if email else [SMS])
    assert f'<div class="help" id="reason-sent">{sent_as_typed(channels)}</div>' in html
    assert "thông báo trên Cổng" not in html and "hộp thư" not in html
    # The label names no channel: the sentence under it alone says where the words go.
    assert '<label for="id_reason" class="required">Lý do từ chối</label>' in html
    if not email:
        assert "thư điện tử" not in field(html)
    assert 'aria-describedby="reason-sent"' in html


@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("deactivated", [False, True])
def test_a_child_s_registration_reject_page_names_the_parent_s_notice_while_their_login_is_active(
        client, parent, child, deactivated):
    """A login an officer deactivated reads no notice: none is written, and the page names none."""
    client.force_login(parent)
    assert send(client).status_code == 302
    if deactivated:
        User.objects.filter(pk=parent.pk).update(is_active=False)
    registration = Registration.objects.get()
    html, channels = refused_from_its_page(client, registration, "Giấy khai sinh không khớp với họ tên")
    assert SMS in channels and (INBOX in channels) == (not deactivated)
    assert Message.objects.filter(template="registration_rejected", channel=INBOX).exists() == (not deactivated)
    assert f'<div class="help" id="reason-sent">{sent_as_typed(channels)}</div>' in html
    assert ("thông báo trên Cổng" in field(html)) == (not deactivated)


@pytest.mark.parametrize("reasons", [REISSUE_REASONS, REVOKE_REASONS])
def test_a_card_s_reason_details_say_they_go_to_the_holder_by_the_notice_alone(reasons):
    """The card's SMS, read on a lock screen, quotes no reason (bhyt_card_reissued, bhyt_card_revoked)."""
    said = str(CardReasonForm(reasons=reasons).fields["details"].help_text)
    assert str(NOTICE_ONLY) in said and "SMS" not in said, said


def test_a_benefit_s_refusal_says_it_goes_to_the_holder_by_the_notice_alone():
    """Its SMS, read on a lock screen, says only that the record changed (benefit.sms.txt)."""
    said = str(BenefitRecordAdminForm().fields["reject_reason"].help_text)
    assert str(NOTICE_ONLY) in said and "SMS" not in said, said


@pytest.mark.django_db
def test_a_benefit_s_refusal_names_no_message_for_a_holder_nobody_is_told_of(owner):
    """benefit_updated goes by person_notify to the logins told of the holder: a holder without an
    account (and no parent's) is sent neither a notice nor an SMS, as the refusal's help then says."""
    unregistered = make_person("7901000002", "Lê Văn Hòa", id_number="079090012345")
    without = BenefitRecordAdminForm(instance=record(unregistered)).fields["reject_reason"].help_text
    assert str(sent_as_typed([])) in str(without) and str(NOTICE_ONLY) not in str(without)
    told = BenefitRecordAdminForm(instance=record(owner.person)).fields["reject_reason"].help_text
    assert str(NOTICE_ONLY) in str(told) and "SMS" not in str(told)


@pytest.mark.django_db
@pytest.mark.parametrize("contact", [{"phone": "+84912345678"}, {"email": "mai@example.vn"},
                                     {"phone": "+84912345678", "email": "mai@example.vn"}])
@pytest.mark.parametrize("by_login", [False, True])
def test_a_feedback_s_answer_names_the_contacts_the_sender_gave_and_no_inbox(owner, district_officer, contact,
                                                                               by_login):
    """Answered by SMS to the phone and by e-mail to the address typed on the feedback, whether sent by
    a login or not, never by a notice in the portal."""
    feedback = feedback_submit(kind="phan_anh", topic="thu_so", content="Đơn vị chưa chốt sổ.",
                               full_name="Trần Thị Mai", agency=Agency.objects.get(code="07901"),
                               user=owner if by_login else None, idempotency_key="feedback-channels", **contact)
    said = str(FeedbackAnswerForm(instance=feedback).fields["answer"].help_text)
    answer = "Đã đề nghị đơn vị chốt sổ"
    feedback_answer(feedback=feedback, officer=district_officer, answer=answer)
    channels = carrying(answer, "feedback_answered")
    assert channels == [channel for channel, given in [(SMS, "phone"), (EMAIL, "email")] if given in contact]
    assert said == str(sent_as_typed(channels))
