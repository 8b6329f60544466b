"""What leaves the portal (SMS, e-mail, in-portal notices) is written in its reader's language,
Vietnamese unless they chose English (tests/notifications/test_notice_language.py), whatever the
language of the page whose action sent it: a choice label is a lazy translation, and a message to a
Vietnamese reader rendered while English is active (an officer or a citizen browsing in English)
would otherwise say "Received" instead of "Đã tiếp nhận"."""

import pytest
from django.utils import translation

from accounts.models import Person
from benefits.models import BenefitRecord
from notifications.models import Message
from notifications.services import send_message
from tests.benefits.helpers import citizen, record
from tests.html_language import languages_of


@pytest.mark.django_db
@pytest.mark.parametrize("channel", [Message.Channel.INBOX, Message.Channel.SMS])
def test_a_message_sent_while_english_is_active_is_vietnamese(reference_data, channel):
    user = citizen()
    claim = record(user.person, kind=BenefitRecord.Kind.MATERNITY)
    with translation.override("en"):
        assert str(claim.get_status_display()) == "Received"  # the label does follow the page's language
        message = send_message(channel=channel, template="benefit_updated", user=user, recipient="+84912345678",
                               context={"record": claim, "person": user.person, "for_child": False},
                               idempotency_key=f"language-{channel}")
        assert translation.get_language() == "en"  # the page goes on in English
    message.refresh_from_db()
    assert "Received" not in message.body
    if channel == Message.Channel.INBOX:
        assert "Trạng thái: Đã tiếp nhận." in message.body
        assert message.subject == "Hồ sơ hưởng chế độ thai sản vừa được cập nhật"
    else:  # by SMS only that the record changed (benefit.sms.txt)
        assert message.body.startswith("BHXH: Hồ sơ hưởng của bạn vừa được cập nhật.")


@pytest.mark.django_db
def test_a_lazy_label_in_the_context_is_rendered_in_vietnamese(reference_data):
    user = citizen()
    with translation.override("en"):
        message = send_message(channel=Message.Channel.INBOX, template="welcome", user=user,
                               context={"name": Person.Sex.MALE.label, "code": "7901234567"},
                               idempotency_key="welcome-en")
    message.refresh_from_db()
    assert message.body.startswith("Xin chào Nam,") and "Male" not in message.body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_notice_is_marked_vietnamese_on_the_notice_pages(client, settings, reference_data, language):
    """A notice is stored in Vietnamese only: its subject and body carry lang="vi", so that a
    screen reader on an English page reads them with Vietnamese pronunciation (WCAG 3.1.2)."""
    user = citizen()
    notice = send_message(channel=Message.Channel.INBOX, template="welcome", user=user, idempotency_key="welcome-1",
                          context={"name": "Nguyễn Văn Đức", "code": "7901234567"})
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    listed = client.get("/thong-bao/").content.decode()
    assert languages_of(listed, notice.subject) == ["vi"]
    opened = client.get(f"/thong-bao/{notice.pk}/").content.decode()
    assert languages_of(opened, notice.subject) == ["vi"]
    assert languages_of(opened, "Xin chào Nguyễn Văn Đức,") == ["vi"]
    assert languages_of(opened, "Tất cả thông báo" if language == "vi" else "All notices") == [language]
