"""Completing a contact change that leaves the phone as it was sends that phone one SMS, the filing's
result, which says what changed and, if it was not the holder who asked, to call the hotline: the
security alert is said by it instead of by a second SMS. A change of the phone itself still sends two,
one to each number: the alert to the number registered until then, whose holder must hear that the
login's codes leave it, and the result to the new number, where the login's messages go from now on.
A minor's parents, told of the minor's filings until the 18th birthday, get the result without the
alert, which is the holder's: a parent on a phone of their own did not ask for the change."""

import pytest
from django.utils import translation
from phonenumber_field.phonenumber import PhoneNumber

from accounts.models import Guardianship, User
from notifications.models import Message
from tests.accounts.helpers import born_years_ago, cccd_for
from tests.notifications.sms_parts import sms_parts
from vssid_portal.templatetags.vn_format import masked_phone

from .helpers import citizen, complete, district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

CODE = "DOI-LIEN-HE"
OLD_PHONE, NEW_PHONE, PARENT_PHONE = "+84912345678", "+84987654321", "+84911111111"
SAID = {"vi": ("Đã đổi email, địa chỉ liên hệ của tài khoản.",
               "Nếu không phải bạn đề nghị, hãy gọi ngay tổng đài 1900 9068."),
        "en": ("Changed on the account: email address, contact address.",
               "If you did not ask for this, call the helpline on 1900 9068 at once.")}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_change_of_the_email_and_address_alone_sends_the_phone_one_sms_saying_both(
        owner, district_officer, django_capture_on_commit_callbacks, language):
    User.objects.filter(pk=owner.pk).update(language=language)
    filing = submit(owner, CODE, changes=["email", "address"], new_phone="")
    with django_capture_on_commit_callbacks(execute=True):
        complete(filing, district_officer, completion_messages_only=True)
    sms = Message.objects.filter(channel=Message.Channel.SMS)
    assert sms.count() == 1, [message.body for message in sms]
    text = sms.get()
    changed, hotline = SAID[language]
    assert text.recipient == OLD_PHONE and text.language == language
    assert filing.tracking_number in text.body and text.body.endswith(f". {changed} {hotline}"), text.body
    assert sms_parts(text.body) <= 3, (len(text.body), text.body)
    # the notice keeps to the filing's result, as before; nothing else is written
    assert set(Message.objects.values_list("template", flat=True)) == {"public_service_filing"}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_change_of_the_phone_alerts_the_old_number_and_gives_the_result_to_the_new(
        owner, district_officer, django_capture_on_commit_callbacks, language):
    User.objects.filter(pk=owner.pk).update(language=language)
    filing = submit(owner, CODE)
    with django_capture_on_commit_callbacks(execute=True):
        complete(filing, district_officer, completion_messages_only=True)
    sms = {message.recipient: message for message in Message.objects.filter(channel=Message.Channel.SMS)}
    assert Message.objects.filter(channel=Message.Channel.SMS).count() == 2 and set(sms) == {OLD_PHONE, NEW_PHONE}
    assert sms[OLD_PHONE].template == "contact_change" and "1900 9068" in sms[OLD_PHONE].body
    assert sms[NEW_PHONE].template == "public_service_filing" and "1900 9068" not in sms[NEW_PHONE].body
    with translation.override(language):
        assert all(message.language == language for message in sms.values())


def minor_with_parent(parent_phone):
    """A 16-year-old with a login of their own (phone OLD_PHONE) and their mother's login, whose phone is
    `parent_phone`: the mother is told of the minor's filings."""
    born = born_years_ago(16)
    minor = citizen("7909990003", "Trần Minh Khang", birth=born, id_number=cccd_for(born), monthly_benefit=False)
    mother = citizen("7909990001", "Lê Thị Hoa", sex=2, id_number="079190099901", monthly_benefit=False)
    mother.person.phone = parent_phone
    mother.person.save(update_fields=["phone"])
    Guardianship.objects.create(parent=mother, child=minor.person, relationship="me")
    return minor, mother


def test_a_minor_s_change_alerts_the_minor_alone_and_tells_the_parent_on_another_phone_the_result(
        reference_data, district_officer, django_capture_on_commit_callbacks):
    minor, mother = minor_with_parent(PARENT_PHONE)
    filing = submit(minor, CODE, changes=["email"], new_phone="")
    with django_capture_on_commit_callbacks(execute=True):
        complete(filing, district_officer, completion_messages_only=True)
    sms = {message.recipient: message for message in Message.objects.filter(channel=Message.Channel.SMS)}
    assert Message.objects.filter(channel=Message.Channel.SMS).count() == 2 and set(sms) == {OLD_PHONE, PARENT_PHONE}
    hotline = SAID["vi"][1]
    own, parent = sms[OLD_PHONE], sms[PARENT_PHONE]
    assert own.user == minor and own.body.endswith(f". Đã đổi email của tài khoản. {hotline}"), own.body
    assert parent.user == mother and filing.tracking_number in parent.body and minor.person.full_name in parent.body
    assert "Đã đổi email" not in parent.body and hotline not in parent.body, parent.body
    assert {message.template for message in sms.values()} == {"public_service_filing"}


def test_a_minor_s_change_alerts_the_phone_the_minor_shares_with_the_parent_once(
        reference_data, district_officer, django_capture_on_commit_callbacks):
    """One SMS to a family's one phone, naming whose account changed, with the alert: the minor's codes go to it."""
    minor, mother = minor_with_parent(OLD_PHONE)
    filing = submit(minor, CODE, changes=["email"], new_phone="")
    with django_capture_on_commit_callbacks(execute=True):
        complete(filing, district_officer, completion_messages_only=True)
    text = Message.objects.get(channel=Message.Channel.SMS)
    assert text.recipient == OLD_PHONE and minor.person.full_name in text.body
    assert text.body.endswith(f". Đã đổi email của tài khoản. {SAID['vi'][1]}"), text.body


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("changes", [["phone", "email", "address"], ["phone"], ["email"], ["address"]])
def test_the_completion_s_notice_and_e_mail_say_what_changed_to_what_and_its_sms_none_of_it(
        owner, district_officer, django_capture_on_commit_callbacks, language, changes):
    """As the other procedures' completions say what was decided (Procedure.completion_outcome): the new phone
    masked as the personal page shows it, the new e-mail address and contact address whole, each only when it
    changed; the SMS, read on a lock screen, as before."""
    User.objects.filter(pk=owner.pk).update(language=language)
    filing = submit(owner, CODE, changes=changes, **({} if "phone" in changes else {"new_phone": ""}))
    with django_capture_on_commit_callbacks(execute=True):
        complete(filing, district_officer, completion_messages_only=True)
    new = {"phone": masked_phone(PhoneNumber.from_string(NEW_PHONE)), "email": "duc.moi@example.vn",
           "address": "45 Hà Huy Giáp, Phường Sài Gòn, Thành phố Hồ Chí Minh"}
    told = Message.objects.filter(template="public_service_filing")
    # the e-mail may go to the new address typed, which nobody confirmed: a stranger's, if mistyped, who
    # learns of the holder's new phone and home address only that they changed
    said = {Message.Channel.INBOX: {"phone", "email", "address"}, Message.Channel.EMAIL: {"email"}}
    for channel in (Message.Channel.INBOX, Message.Channel.EMAIL):
        message = told.get(channel=channel)
        assert message.language == language and filing.tracking_number in message.body
        for change, value in new.items():
            assert (value in message.body) is (change in changes and change in said[channel]), (
                channel, change, message.body)
        assert "987 654 321" not in message.body and "987654321" not in message.body, message.body  # masked
        if language == "en":
            assert "từ nay" not in message.body, message.body
    e_mail = told.get(channel=Message.Channel.EMAIL)
    if "email" in changes:
        assert e_mail.recipient == "duc.moi@example.vn"
    if "address" in changes:
        assert "45 Hà Huy Giáp" not in e_mail.body and "45 Hà Huy Giáp" in told.get(channel=Message.Channel.INBOX).body
        assert {"vi": "Địa chỉ liên hệ trong hồ sơ BHXH đã được cập nhật.",
                "en": "updated"}[language] in e_mail.body, e_mail.body
    for sms in Message.objects.filter(channel=Message.Channel.SMS):
        assert not [value for value in new.values() if value in sms.body], sms.body
