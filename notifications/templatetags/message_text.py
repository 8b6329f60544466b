"""Filters for the texts of messages (templates/notifications/messages): how an officer's words
are quoted on each channel. `send_message` gives every template the `channel` it renders for."""

import math
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from vssid_portal.text import sentence

from ..models import Message

register = template.Library()

# Vietnamese with its diacritics travels by SMS in UCS-2: 70 characters in one part, 67 in each
# part of a longer message. Quoted by SMS, an officer's words are cut to this many characters, so
# the longest filing step SMS (its procedure named short, for a child) stays within 5 parts and a
# feedback answer within 4; the notice on the portal and the e-mail carry them whole.
SMS_QUOTE_LENGTH = 160
# The GSM 03.38 alphabet: a text written only in it travels in 7 bits, 160 characters in one part, 153
# in each part of a longer one, a character of the extension table counting two; any other character
# (a Vietnamese letter with its diacritics, "…", "–") makes the whole text UCS-2.
GSM7_BASIC = frozenset("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
                       "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


def sms_parts(text: str) -> int:
    """How many parts an SMS of `text` takes: in GSM 7-bit when every character is of its alphabet
    (160 in one part, 153 in each of several), else in UCS-2 (70, then 67; a character outside the
    Basic Multilingual Plane takes two units)."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        units, one, each = len(text) + sum(char in GSM7_EXTENSION for char in text), 160, 153
    else:
        units, one, each = len(text) + sum(ord(char) > 0xFFFF for char in text), 70, 67
    return 1 if units <= one else math.ceil(units / each)


@register.filter
def quoted(value, channel=""):
    """An officer's words (a reason, a note, an answer) in a message, as one sentence (`sentence`);
    by SMS on one line, and when longer than SMS_QUOTE_LENGTH cut at a word, ending in "…"."""
    if channel != Message.Channel.SMS:
        return sentence(value)
    text = " ".join(str(value or "").split())
    if len(text) <= SMS_QUOTE_LENGTH:
        return sentence(text)
    cut = text[:SMS_QUOTE_LENGTH - 1]
    at_word = cut.rpartition(" ")[0]
    return (at_word if len(at_word) > SMS_QUOTE_LENGTH // 2 else cut).rstrip(" ,;:.!?-–") + "…"


@register.simple_tag
def records_link(person, viewname, *args):
    """A notice's link to a page of `person`'s records, through accounts:view_person: the personal
    pages switch to that person (the user, or their child) before the page opens."""
    return f"{reverse('accounts:view_person', args=[person.pk])}?{urlencode({'tiep': reverse(viewname, args=args)})}"


@register.filter
def listed(names) -> str:
    """Names, lazy translations among them (insurance types), as one text in the language the message
    is written in: ["BHXH", "BHYT"] → "BHXH, BHYT"."""
    return ", ".join(str(name) for name in names)
