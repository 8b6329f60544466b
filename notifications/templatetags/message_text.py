"""Filters for the texts of messages (templates/notifications/messages): how an officer's words
are quoted on each channel. `send_message` gives every template the `channel` it renders for."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from vssid_portal.text import PORTAL_NAME, PORTAL_SMS_NAME, sentence

from ..models import Message

register = template.Library()

# Vietnamese with its diacritics travels by SMS in UCS-2: 70 characters in one part, 67 in each
# part of a longer message. Quoted by SMS, an officer's words are cut to this many characters, so
# the longest filing step SMS (its procedure named short, for a child) stays within 5 parts and a
# feedback answer within 4, as the tests count them (tests/notifications/sms_parts.py); the notice on
# the portal and the e-mail carry them whole.
SMS_QUOTE_LENGTH = 160


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


@register.simple_tag(takes_context=True)
def portal_name(context):
    """The portal's name for the channel the message renders for: its short form by SMS
    (vssid_portal.text.PORTAL_SMS_NAME), else its name (PORTAL_NAME). Used as
    `{% portal_name as portal %}`, then `{{ portal }}` inside the sentences."""
    return str(PORTAL_SMS_NAME if context.get("channel") == Message.Channel.SMS else PORTAL_NAME)


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


@register.filter
def code_shown(code, channel=""):
    """A BHXH code in a message: by SMS, read on a lock screen, its last 4 digits alone
    ('7901234567' → '******4567'), enough for its holder to know which account a message is about, masked
    in the GSM alphabet so that an English SMS stays in 7 bits; whole in the notice and the e-mail."""
    code = str(code or "")
    if channel != Message.Channel.SMS or len(code) <= 4:
        return code
    return "*" * (len(code) - 4) + code[-4:]
