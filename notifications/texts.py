"""Texts about what the outbox sends, said where it is written: an officer's words that reach a
citizen as typed (a filing's rejection or return, a registration's or a benefit's refusal, a card's
reason, a feedback's answer) carry, beside the field they are typed in, the sentence sent_as_typed
builds from the channels that really carry them, so that an internal note is not sent by mistake and
the officer knows where it goes. Each service that sends such words says which channels it uses for a
record (registration_told_by, filing_note_told_by, feedback_contact_channels; person_notify: a notice
and an SMS, which, read on a lock screen, quotes no benefit's refusal nor card's reason), and the page asks it, so the sentence cannot name a channel the words never take."""

from collections import Counter
from collections.abc import Iterable

from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext, pgettext_lazy

from .models import Message

# How each channel carries the words, in the order the sentence names them (after "qua": "by").
CARRIED_BY = {
    Message.Channel.INBOX: pgettext_lazy("lời cán bộ gửi qua", "thông báo trên Cổng"),
    Message.Channel.SMS: pgettext_lazy("lời cán bộ gửi qua", "tin nhắn SMS (chỉ mang phần đầu)"),
    Message.Channel.EMAIL: pgettext_lazy("lời cán bộ gửi qua", "thư điện tử"),
}


def _carried_by(channels: Iterable[str]) -> str:
    """The channels named in the sentence's order: "a, b và c"; empty for none."""
    channels = set(channels)
    names = [str(name) for channel, name in CARRIED_BY.items() if channel in channels]
    if len(names) < 2:
        return "".join(names)
    return gettext("%(items)s và %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}


def _sent_as_typed(channels: Iterable[str]) -> str:
    listed = _carried_by(channels)
    if not listed:  # no active login may view the records: none yet, a deactivated one, or a parent's of an adult
        return gettext("Nội dung này không được gửi qua thông báo, SMS hay thư nào vì không có tài khoản đang hoạt "
                       "động nào trên Cổng được xem hồ sơ của họ; không ghi chú nội bộ.")
    return gettext("Nội dung này được gửi cho người dân đúng như đã nhập, qua %(channels)s; không ghi chú nội bộ.") % {
        "channels": listed}


def _sent_as_typed_to_each(people: Iterable[Iterable[str]]) -> str:
    people = [list(channels) for channels in people]
    listed = Counter(_carried_by(channels) for channels in people)  # how many are told on each set of channels
    if len(listed) < 2:  # told alike, or nobody selected: the sentence for one person
        return _sent_as_typed(people[0] if people else ())
    parts = [ngettext("%(count)s người qua %(channels)s", "%(count)s người qua %(channels)s", count) % {
        "count": count, "channels": channels} for channels, count in listed.items() if channels]
    if untold := listed.get(""):  # no login of theirs or of a minor's parent, or a deactivated one
        parts.append(ngettext("%(count)s người không nhận tin nào vì không có tài khoản đang hoạt động nào trên Cổng "
                              "được xem hồ sơ của họ",
                              "%(count)s người không nhận tin nào vì không có tài khoản đang hoạt động nào trên Cổng "
                              "được xem hồ sơ của họ", untold) % {"count": untold})
    return gettext("Nội dung này được gửi đúng như đã nhập: %(parts)s. Không ghi chú nội bộ.") % {
        "parts": "; ".join(parts)}


# The sentence for the words sent on `channels` (Message.Channel values), in the language of the page.
sent_as_typed = lazy(_sent_as_typed, str)

# The sentence for words sent to several people at once, `people` giving each person's channels (a
# card reason for the cards of several holders): the one of sent_as_typed when all are told alike, else
# how many are told on which channels and how many receive no message.
sent_as_typed_to_each = lazy(_sent_as_typed_to_each, str)

# What an officer's words in a change of a person's records reach the holder by (accounts.services.notices.
# person_notify: a benefit's refusal, a card's reason): the notice in the portal alone, no e-mail; its SMS,
# read on a lock screen, quotes none (notifications/messages/benefit.sms.txt, bhyt_card_*.body.txt).
SENT_IN_NOTICE_ONLY = sent_as_typed((Message.Channel.INBOX,))
