"""Notices in the citizen's language: the language a logged-in citizen chose on the portal is kept
on their login (User.language), by the language switch and by a login from a browser where a
language was chosen, and each SMS, e-mail and in-portal notice to that login is written in it
when it is sent, whoever's action caused it and in whatever language that page was read."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services.security import SecurityEvent
from benefits.models import KIND_PHRASES, BenefitRecord
from lookup.models import Agency
from notifications.models import Message
from notifications.services import send_message
from participation.models import Period
from public_services.services import feedback_answer, feedback_submit, filing_receive
from tests.accounts.test_login import CONFIRM, submit_password
from tests.accounts.test_otp import codes_sent, make_citizen
from tests.html_language import languages_of
from tests.public_services.helpers import district_officer, logged, owner, submit  # noqa: F401

SWITCH = "/i18n/setlang/"


def switched(client, language: str):
    return client.post(SWITCH, {"language": language, "next": "/ca-nhan/"})


@pytest.mark.django_db
def test_the_language_switch_while_logged_in_is_kept_for_the_notices(owner):
    client = logged(owner)
    assert owner.language == "vi"
    assert switched(client, "en").status_code == 302
    owner.refresh_from_db()
    assert owner.language == "en"
    switched(client, "vi")
    owner.refresh_from_db()
    assert owner.language == "vi"


@pytest.mark.django_db
def test_a_switch_without_a_login_or_to_an_unknown_language_changes_no_login(owner):
    assert switched(Client(), "en").status_code == 302
    switched(logged(owner), "fr")
    owner.refresh_from_db()
    assert owner.language == "vi"


@pytest.mark.django_db(transaction=True)
def test_a_login_with_english_chosen_sends_the_code_in_english_and_keeps_the_choice_once_done(client, sms_outbox):
    make_citizen()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert submit_password(client)["Location"] == CONFIRM
    [code] = codes_sent(sms_outbox)
    [text] = [message["text"] for message in sms_outbox()]
    assert text == (f"{code} is your VssID Portal login code for a new device, valid for 5 minutes. "
                    "Never share it, not even with social insurance staff.")
    assert User.objects.get().language == "vi"  # the password alone: not yet the account's language
    assert client.post(CONFIRM, {"action": "verify", "code": code})["Location"] == "/ca-nhan/"
    assert User.objects.get().language == "en"


@pytest.mark.django_db(transaction=True)
def test_the_password_alone_does_not_change_the_language_of_the_accounts_notices(client, sms_outbox):
    make_citizen()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert submit_password(client)["Location"] == CONFIRM
    client.post(CONFIRM, {"action": "verify", "code": "000000"})  # the code is not known
    client.post(CONFIRM, {"action": "cancel"})
    assert User.objects.get().language == "vi"
    [code_message] = Message.objects.filter(template="otp_login")
    assert code_message.language == "en"


@pytest.mark.django_db(transaction=True)
def test_a_language_switched_on_the_code_step_is_kept_once_the_login_is_done(client, sms_outbox):
    make_citizen()
    assert submit_password(client)["Location"] == CONFIRM
    assert switched(client, "en").status_code == 302
    assert User.objects.get().language == "vi"
    assert client.post(CONFIRM, {"action": "verify", "code": codes_sent(sms_outbox)[-1]})["Location"] == "/ca-nhan/"
    assert User.objects.get().language == "en"


@pytest.mark.django_db(transaction=True)
def test_a_vietnamese_citizen_gets_the_code_in_vietnamese(client, sms_outbox):
    make_citizen()
    assert submit_password(client)["Location"] == CONFIRM  # no language chosen: Vietnamese
    [text] = [message["text"] for message in sms_outbox()]
    assert "là mã xác thực đăng nhập Cổng BHXH số trên thiết bị mới, hiệu lực 5 phút." in text
    assert User.objects.get().language == "vi"


@pytest.mark.django_db(transaction=True)
def test_a_login_without_a_choice_keeps_the_language_chosen_before(client, sms_outbox):
    make_citizen(language="en")
    submit_password(client)
    [text] = [message["text"] for message in sms_outbox()]
    assert "login code" in text and User.objects.get().language == "en"


def received(filing, officer) -> dict[str, Message]:
    """The officer receives the filing: the messages telling of it, by channel."""
    before = Message.objects.order_by("-pk").values_list("pk", flat=True).first()
    filing_receive(filing=filing, officer=officer)
    return {message.channel: message for message in Message.objects.filter(pk__gt=before)}


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_data")
def test_a_filing_status_change_is_told_in_english_to_a_citizen_who_chose_it(owner, district_officer):
    filing = submit(owner)
    User.objects.filter(pk=owner.pk).update(language="en")
    filing.refresh_from_db()
    with translation.override("vi"):  # the officer's page is Vietnamese
        told = received(filing, district_officer)
    assert set(told) == {Message.Channel.INBOX, Message.Channel.SMS, Message.Channel.EMAIL}
    number = filing.tracking_number
    assert told[Message.Channel.INBOX].subject == f"Application {number}: Received"
    for message in told.values():
        assert message.language == "en"
        assert ", result due " in message.body
        if message.channel == Message.Channel.SMS:  # named short, no pointer to the portal, in 7 bits: hyphens
            assert message.body.startswith(f"BHXH: Application {number} - 607A Book reissue - received")
        else:  # between en dashes
            assert message.body.startswith(f"BHXH: Application {number} – Reissue of a lost or damaged social insurance book")
            assert message.body.endswith("See Public services on the Digital Social Insurance Portal.")
    notice = told[Message.Channel.INBOX]
    page = logged(owner).get(f"/thong-bao/{notice.pk}/").content.decode()
    assert languages_of(page, notice.subject) == ["en"]


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_data")
def test_the_logins_address_typed_in_another_case_is_told_in_the_logins_language(owner, district_officer):
    User.objects.filter(pk=owner.pk).update(language="en")
    owner.refresh_from_db()
    filing = submit(owner, email=owner.email.upper())
    with translation.override("vi"):
        email = received(filing, district_officer)[Message.Channel.EMAIL]
    assert email.recipient == owner.email.upper()
    assert email.language == "en" and email.subject == f"Application {filing.tracking_number}: Received"


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_data")
def test_a_vietnamese_citizen_is_told_in_vietnamese_whatever_the_officers_language(owner, district_officer):
    filing = submit(owner)
    with translation.override("en"):  # an officer reading the portal in English
        told = received(filing, district_officer)
    assert told[Message.Channel.INBOX].subject == f"Hồ sơ {filing.tracking_number}: Đã tiếp nhận"
    for message in told.values():
        assert message.language == "vi"
        assert message.body.startswith(f"BHXH: Hồ sơ {filing.tracking_number} – ")
        assert "đã tiếp nhận, hẹn trả kết quả" in message.body


NOW = datetime.datetime(2026, 11, 22, 7, 5, tzinfo=datetime.UTC)
RECORD = SimpleNamespace(agency=SimpleNamespace(name="Agency 07901"), kind_phrase=KIND_PHRASES[BenefitRecord.Kind.MATERNITY],
                         reference="TS-1", received_on=datetime.date(2026, 11, 2),
                         expected_on=datetime.date(2026, 11, 20), status="paid", reject_reason="",
                         get_status_display=lambda: "Paid", decision_number="12/QD",
                         decision_date=datetime.date(2026, 11, 10), paid_date=datetime.date(2026, 11, 20))
CARD = SimpleNamespace(number="7901234567", issued_on=datetime.date(2026, 11, 2), valid_from=datetime.date(2026, 11, 2),
                       valid_to=datetime.date(2027, 11, 1), version=2, changed_at=NOW,
                       agency=SimpleNamespace(name="Agency 07901"))
VISIT = SimpleNamespace(get_kind_display=lambda: "Outpatient", facility=SimpleNamespace(name="Clinic 79032"),
                        admitted_on=datetime.date(2026, 11, 2), discharged_on=datetime.date(2026, 11, 4),
                        total_cost=1234567, bhyt_paid=987654, patient_paid=246913)
FILING = SimpleNamespace(tracking_number="HS2611ABCDEF")
PERIOD = SimpleNamespace(get_kind_display=lambda: Period.Kind.BHYT.label, from_month=datetime.date(2025, 1, 1),
                         to_month=datetime.date(2026, 6, 1), payer_label="Employer 0101", base_label=_("Mức đóng"),
                         base=1234567)
GROWN_CHILD = SimpleNamespace(full_name="Tran Gia Bao")
WRITTEN_IN_ENGLISH = [
    *[(f"security_{event}", {"at": NOW, "temporary": True, "codes_removed": True}) for event in SecurityEvent],
    ("benefit_received", {"record": RECORD}),
    ("benefit_updated", {"record": RECORD}),
    *[(f"bhyt_card_{change}", {"card": CARD, "reason": "Lost"}) for change in ("issued", "reissued", "revoked", "expired")],
    *[(f"visit_{change}", {"visit": VISIT}) for change in ("added", "updated")],
    ("participation_changed", {"period": PERIOD}),
    *[(f"participation_{change}", {"kinds": [Period.Kind.BHYT.label, "BHXH"], "count": 2, "first": datetime.date(2025, 1, 1),
                                   "last": datetime.date(2026, 6, 1)}) for change in ("import", "removed")],
    ("public_service_due_date_moved", {"filing": FILING, "procedure_name": "Reissue", "before": NOW.date(),
                                       "after": NOW.date() + datetime.timedelta(days=3)}),
    ("public_service_filing_left", {"filing": FILING, "procedure_name": "Reissue", "person": GROWN_CHILD,
                                    "event": SimpleNamespace(status="returned", get_status_display=lambda: "Returned")}),
]
VIETNAMESE_LETTERS = re.compile("[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize(("template", "values"), WRITTEN_IN_ENGLISH, ids=[t for t, _v in WRITTEN_IN_ENGLISH])
def test_the_account_benefit_and_card_notices_are_written_in_english(owner, template, values):
    User.objects.filter(pk=owner.pk).update(language="en")
    owner.refresh_from_db()
    with translation.override("vi"):
        notice = send_message(channel=Message.Channel.EMAIL, template=template, user=owner, context=values,
                              recipient=owner.email, idempotency_key=f"en-{template}")
    said = f"{notice.subject}\n{notice.body}"
    assert notice.language == "en" and notice.subject and not VIETNAMESE_LETTERS.search(said), said
    assert "Digital Social Insurance Portal" in said or "health insurance card" in said
    if template.startswith("participation_"):
        assert "participation history" in said and "01/2025–06/2026" in said
    if template.startswith("visit_"):
        assert "total cost 1,234,567 VND, paid by health insurance 987,654 VND" in said  # as the pages say it in English


# --- To a phone or address without a login: the language of the request that caused it ---------

TYPED = "nguoi.nop@example.vn"


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_typed_address_is_asked_to_confirm_in_the_language_of_the_filing_page(owner, district_officer, language):
    with translation.override(language):  # the filer's form, read in that language
        filing = submit(owner, "607A", email=TYPED)
    [confirm] = Message.objects.filter(recipient=TYPED, template="public_service_email_confirm")
    assert confirm.language == language
    if language == "en":
        assert confirm.subject == ("Confirm the email address for notices about an application on the Digital "
                                   "Social Insurance Portal")
        assert "(it works for 7 days) and press the “Confirm your email address” button" in confirm.body
    else:
        assert "(dùng được trong 7 ngày) và bấm nút “Xác nhận địa chỉ email”" in confirm.body
    with translation.override("en"):  # an officer's step, whatever their language, says nothing to it
        filing_receive(filing=filing, officer=district_officer)
    assert not Message.objects.filter(recipient=TYPED).exclude(template="public_service_email_confirm").exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_data")
def test_a_feedback_sent_in_english_is_acknowledged_in_english_and_answered_in_vietnamese(district_officer):
    with translation.override("en"):
        feedback = feedback_submit(kind="phan_anh", topic="thu_so", agency=Agency.objects.get(code="07901"),
                                   content="My employer has not closed my book.", full_name="Tran Thi Mai",
                                   phone="+84912345678", email="mai@example.vn", user=None,
                                   idempotency_key="feedback-en")
    received = {m.channel: m for m in Message.objects.filter(template="feedback_received")}
    assert received[Message.Channel.SMS].body.startswith(f"BHXH: Your complaint has been received, code "
                                                         f"{feedback.tracking_number}.")
    assert received[Message.Channel.EMAIL].subject == f"Feedback {feedback.tracking_number} received"
    assert received[Message.Channel.EMAIL].body.startswith("Dear Tran Thi Mai,")
    with translation.override("en"):  # the officer's answer is no request of the sender's
        feedback_answer(feedback=feedback, officer=district_officer, answer="Đã đề nghị đơn vị chốt sổ.")
    assert {m.language for m in Message.objects.filter(template="feedback_answered")} == {"vi"}


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_data")
def test_a_feedback_sent_by_a_login_that_chose_english_is_answered_in_english(owner, district_officer):
    """The answer to the login's own phone and address, typed in its own feedback, is in the language
    its holder chose, as every other notice to them; never in the answering officer's."""
    owner.language, owner.email = "en", "Duc@Example.vn"
    owner.save(update_fields=["language", "email"])
    feedback = feedback_submit(kind="phan_anh", topic="thu_so", content="Đơn vị chưa chốt sổ.",
                               full_name=owner.person.full_name, phone=owner.person.phone, email="duc@example.vn",
                               user=owner, idempotency_key="feedback-login-en")
    feedback_answer(feedback=feedback, officer=district_officer, answer="Đã đề nghị đơn vị chốt sổ.")
    answered = {m.channel: m for m in Message.objects.filter(template="feedback_answered")}
    assert {m.language for m in answered.values()} == {"en"}
    assert answered[Message.Channel.SMS].body == (f"BHXH: Answer to {feedback.tracking_number}: Đã đề nghị đơn vị "
                                                  "chốt sổ. Read it in full under Help on the VssID Portal.")
    email = answered[Message.Channel.EMAIL]
    assert email.subject == f"Answer to feedback {feedback.tracking_number}"
    assert email.body.startswith(f"Dear {owner.person.full_name},\n\nThe social insurance agency answers your "
                                 f"complaint {feedback.tracking_number} about “Social and health insurance contributions; "
                                 "social insurance book” as follows:")
    assert "Đã đề nghị đơn vị chốt sổ." in email.body and "Kính gửi" not in email.body


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_data")
def test_a_feedback_of_a_login_that_chose_english_answers_a_contact_not_its_own_in_vietnamese(owner, district_officer):
    """A phone or address the login typed that is not its holder's (a relative's) may be read by
    somebody who chose nothing: the answer goes there in Vietnamese, as to a feedback without a login."""
    owner.language = "en"
    owner.save(update_fields=["language"])
    feedback = feedback_submit(kind="phan_anh", topic="thu_so", content="Đơn vị chưa chốt sổ.",
                               full_name="Nguyễn Thị Lan", phone="+84987654321", email="lan@example.vn",
                               user=owner, idempotency_key="feedback-login-en-other")
    feedback_answer(feedback=feedback, officer=district_officer, answer="Đã đề nghị đơn vị chốt sổ.")
    assert {m.language for m in Message.objects.filter(template="feedback_answered")} == {"vi"}
