"""Texts about what the outbox sends, said where it is written: an officer's words that reach a
citizen as typed (a filing's rejection or return, a registration's or a benefit's refusal, a card's
reason, a feedback's answer) carry, beside the field they are typed in, the sentence sent_as_typed
builds from the channels that really carry them, so that an internal note is not sent by mistake and
the officer knows where it goes. Each service that sends such words says which channels it uses for a
record (registration_told_by, filing_note_told_by, feedback_contact_channels; person_notify: a notice
and an SMS), and the page asks it, so the sentence cannot name a channel the words never take."""

from collections.abc import Iterable

from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy

from .models import Message

# How each channel carries the words, in the order the sentence names them (after "qua": "by").
CARRIED_BY = {
    Message.Channel.INBOX: pgettext_lazy("lời cán bộ gửi qua", "thông báo trên Cổng"),
    Message.Channel.SMS: pgettext_lazy("lời cán bộ gửi qua", "tin nhắn SMS (chỉ mang phần đầu)"),
    Message.Channel.EMAIL: pgettext_lazy("lời cán bộ gửi qua", "thư điện tử"),
}


def _sent_as_typed(channels: Iterable[str]) -> str:
    channels = set(channels)
    names = [str(name) for channel, name in CARRIED_BY.items() if channel in channels]
    if not names:  # no login may view the record yet: the words are read on the portal once one can
        return gettext("Nội dung này không được gửi qua thông báo, SMS hay thư nào; người dân chỉ xem được trên "
                       "Cổng khi có tài khoản; không ghi chú nội bộ.")
    listed = names[0] if len(names) == 1 else gettext("%(items)s và %(last)s") % {
        "items": ", ".join(names[:-1]), "last": names[-1]}
    return gettext("Nội dung này được gửi cho người dân đúng như đã nhập, qua %(channels)s; không ghi chú nội bộ.") % {
        "channels": listed}


# The sentence for the words sent on `channels` (Message.Channel values), in the language of the page.
sent_as_typed = lazy(_sent_as_typed, str)

# What a change of a person's records tells (accounts.services.notices.person_notify: a card's reason,
# a benefit's refusal): the notice in the portal and an SMS quoting the words' beginning, no e-mail.
SENT_AS_TYPED_IN_NOTICE = sent_as_typed((Message.Channel.INBOX, Message.Channel.SMS))
