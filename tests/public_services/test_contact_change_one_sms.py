"""Completing a contact change that leaves the phone as it was sends that phone one SMS, the filing's
result, which says what changed and, if it was not the holder who asked, to call the hotline: the
security alert is said by it instead of by a second SMS. A change of the phone itself still sends two,
one to each number: the alert to the number registered until then, whose holder must hear that the
login's codes leave it, and the result to the new number, where the login's messages go from now on."""

import pytest
from django.utils import translation

from accounts.models import User
from notifications.models import Message
from tests.notifications.sms_parts import sms_parts

from .helpers import complete, district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

CODE = "DOI-LIEN-HE"
OLD_PHONE, NEW_PHONE = "+84912345678", "+84987654321"
SAID = {"vi": ("Đã đổi email, địa chỉ liên hệ của tài khoản.",
               "Nếu không phải bạn đề nghị, hãy gọi ngay tổng đài 1900 9068."),
        "en": ("Changed on the account: e-mail address, contact address.",
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
