"""An en dash is not in the GSM 7-bit alphabet: an SMS written only in that alphabet but for its en
dashes (an English SMS: a range of months, a break in a sentence) sends them as hyphens and travels in
7 bits, 160 characters a part; a Vietnamese SMS, UCS-2 anyway for its diacritics, keeps them at no cost.
The notice and the e-mail keep every en dash."""

import datetime
from types import SimpleNamespace

import pytest

from notifications.models import Message
from notifications.services import send_message
from tests.notifications.sms_parts import sms_parts

CONTEXT = {"kinds": ["BHXH", "BHYT"], "count": 12, "first": datetime.date(2026, 1, 1),
           "last": datetime.date(2026, 12, 1), "for_child": True}


def sent(channel, language, name):
    recipient = "+84912345678" if channel == Message.Channel.SMS else "an@example.test"
    return send_message(channel=channel, template="participation_import", recipient=recipient,
                        context={**CONTEXT, "person": SimpleNamespace(pk=1, full_name=name)},
                        idempotency_key=f"{channel}-{language}-{name}", language=language).body


@pytest.mark.django_db
def test_an_sms_in_7_bits_but_for_its_en_dashes_sends_them_as_hyphens():
    english = sent(Message.Channel.SMS, "en", "Nguyen Van An")
    assert "01/2026-12/2026" in english and "–" not in english and sms_parts(english) == 1, english
    assert "01/2026–12/2026" in sent(Message.Channel.EMAIL, "en", "Nguyen Van An")


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "name"), [("vi", "Nguyen Van An"), ("en", "Nguyễn Văn An")])
def test_an_sms_in_ucs_2_anyway_keeps_its_en_dashes(language, name):
    sms = sent(Message.Channel.SMS, language, name)
    assert "01/2026–12/2026" in sms and "-" not in sms.replace("+84", ""), sms
