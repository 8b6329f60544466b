"""Every write to feedback: sending one (idempotent per form rendering) and the officer's
answer. Each is one transaction; SMS and e-mail go through the outbox (notifications), which
delivers once the transaction commits.

Anyone may send a feedback, so one client (by address) may send at most SUBMIT_RATE: a feedback
is counted as it is recorded, inside its transaction, so a refused form or the second post of a
double tap uses up nothing, and the one beyond the limit is not recorded.

The confirmation of receipt is capped per recipient too: at most
CONFIRMATIONS_PER_HOUR an hour to one phone number (and to one e-mail address), whichever
client sends them. Beyond the cap the feedback is still recorded and its tracking number shown
on screen; only the confirmation is not sent (the sender's work is never lost, and nobody can
text or mail a stranger over and over, nor stop that stranger from sending feedback of their
own). The officer's answer is not capped: an officer sends it, once per feedback.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_ratelimit.core import get_usage

from notifications.models import Message
from notifications.services import send_message
from vssid_portal.cache import cache_reachable
from vssid_portal.form_keys import KEY_LENGTH, REFERENCE_ALPHABET, new_reference
from vssid_portal.ratelimit import minutes_left, recipient_counted
from vssid_portal.templatetags.vn_format import vn_time_date
from vssid_portal.text import normalize_name, with_hotline

from ..models import Feedback
from ..selectors import feedback_contact_channels, feedback_message_key, feedback_visible_to

SUBMIT_RATE = "5/10m"
# As many as one client may send in 10 minutes (SUBMIT_RATE) and as the OTP's hourly cap per
# phone: a sender who does not switch addresses never meets it.
CONFIRMATIONS_PER_HOUR = 5
TRACKING_PREFIX, TRACKING_LENGTH = "PA", 8
TRACKING_NUMBER = re.compile(rf"{TRACKING_PREFIX}\d{{4}}[{REFERENCE_ALPHABET}]{{{TRACKING_LENGTH}}}")  # what _tracking_number makes


def _tracking_number() -> str:
    """PA + year and month + 8 random characters (40 bits): not guessable, and useless alone."""
    return new_reference(Feedback, field="tracking_number", prefix=TRACKING_PREFIX, length=TRACKING_LENGTH)


def _confirmation_allowed(recipient: str) -> bool:
    """Count one confirmation to `recipient` (E.164 number or case-folded e-mail address); False
    once the hour's cap is reached (vssid_portal.ratelimit.recipient_counted)."""
    usage = recipient_counted(group="public_services.feedback_confirmation", recipient=recipient,
                              rate=f"{CONFIRMATIONS_PER_HOUR}/h")
    return usage is None or not usage["should_limit"]


class TooManyFeedbacks(ValidationError):
    """The client has sent SUBMIT_RATE feedbacks already: this one is not recorded. `usage`:
    django-ratelimit's count that refused, this one counted, which says how long is left of the limit's
    window (vssid_portal.ratelimit.usage_refusal): the message (`said`) says those minutes."""

    def __init__(self, usage: dict):
        self.usage = usage
        minutes = minutes_left(usage["time_left"]) if usage["time_left"] >= 0 else None  # None: a lost count
        super().__init__(with_hotline(self.said(minutes), minutes=minutes), code="too_many")

    @staticmethod
    def said(minutes: int | None) -> str:
        if minutes is None:  # a count the cache failed to keep has no window
            return gettext("Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn. Hãy thử lại sau ít phút hoặc gọi "
                           "tổng đài %(hotline)s.")
        return ngettext("Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn. Hãy thử lại sau %(minutes)s phút "
                        "hoặc gọi tổng đài %(hotline)s.",
                        "Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn. Hãy thử lại sau %(minutes)s phút "
                        "hoặc gọi tổng đài %(hotline)s.", minutes)


class TooManyAttachments(TooManyFeedbacks):
    """The client has sent ATTACHMENT_POSTS_RATE posts with an attachment already, sent or not: this
    one is neither recorded nor its attachment read, and the form comes back without the file. The
    message says so, and that a feedback without a file may be sent meanwhile (SUBMIT_RATE still
    judges it), since the sender may have sent no feedback at all (posts left invalid count too)."""

    @staticmethod
    def said(minutes: int | None) -> str:
        if minutes is None:  # a count the cache failed to keep has no window
            return gettext("Bạn đã gửi kèm tệp quá nhiều lần trong một giờ nên phản ánh này chưa được gửi và tệp "
                           "chưa được nhận. Hãy gửi kèm tệp sau ít phút, hoặc gửi phản ánh không kèm tệp.")
        return ngettext("Bạn đã gửi kèm tệp quá nhiều lần trong một giờ nên phản ánh này chưa được gửi và tệp "
                        "chưa được nhận. Hãy gửi kèm tệp sau %(minutes)s phút, hoặc gửi phản ánh không kèm tệp.",
                        "Bạn đã gửi kèm tệp quá nhiều lần trong một giờ nên phản ánh này chưa được gửi và tệp "
                        "chưa được nhận. Hãy gửi kèm tệp sau %(minutes)s phút, hoặc gửi phản ánh không kèm tệp.",
                        minutes)


class FeedbacksUnavailable(ValidationError):
    """The client's limit could not be counted (Redis down): this one is not recorded, and it is no
    fault of the sender's."""

    def __init__(self):
        super().__init__(gettext("Gửi và tra cứu phản ánh đang tạm gián đoạn. Hãy thử lại sau vài phút."),
                         code="unavailable")


# Posts of the feedback form carrying an attachment from one client, sent or refused: each attachment
# is decoded and re-encoded (an image) or parsed (a PDF) before the form is judged, so a post left
# invalid on purpose would otherwise never meet SUBMIT_RATE and have this work done without end.
ATTACHMENT_POSTS_RATE = "20/h"


def feedback_attachment_counted(*, client: str) -> dict | None:
    """Count one post carrying an attachment from `client` (an IPv4 address or an IPv6 /64), before
    the attachment is read: django-ratelimit's count, over once ATTACHMENT_POSTS_RATE is passed."""
    return get_usage(None, group="public_services.feedback_attachment", key=lambda group, request: client,
                     rate=ATTACHMENT_POSTS_RATE, method=get_usage.ALL, increment=True)


def _client_counted(client: str) -> dict | None:
    """Count one feedback recorded for `client` (an IPv4 address or an IPv6 /64:
    vssid_portal.ratelimit.client_ip): django-ratelimit's count, over once SUBMIT_RATE is passed."""
    return get_usage(None, group="public_services.feedback", key=lambda group, request: client,
                     rate=SUBMIT_RATE, method=get_usage.ALL, increment=True)


def _sender_language(feedback: Feedback, channel: str) -> str:
    """The language chosen by the login that sent the feedback when the phone or address typed for
    `channel` is that login's own (its holder's phone, its e-mail address, in any case), as a
    filing's e-mail is written for the login whose address it is; else "" (Vietnamese)."""
    user = feedback.user
    if user is None:
        return ""
    if channel == Message.Channel.SMS:
        own = user.person is not None and bool(user.person.phone) and user.person.phone == feedback.phone
    else:
        own = bool(user.email) and user.email.casefold() == feedback.email.casefold()
    return user.language if own else ""


def _notify(feedback: Feedback, *, template: str, event: str, capped: bool = False, language: str = "") -> None:
    """SMS and/or e-mail to the sender; with `capped`, only within the hourly cap per recipient; in
    `language`, else, to a contact of the sending login's own, in that login's language
    (_sender_language), else Vietnamese (notifications.services.send_message)."""
    channels = feedback_contact_channels(feedback)  # named beside the answer on the officer's form
    if Message.Channel.SMS in channels and (not capped or _confirmation_allowed(feedback.phone.as_e164)):
        send_message(channel=Message.Channel.SMS, template=template, recipient=feedback.phone.as_e164,
                     context={"feedback": feedback},
                     language=language or _sender_language(feedback, Message.Channel.SMS),
                     idempotency_key=feedback_message_key(feedback, event=event, channel=Message.Channel.SMS))
    if Message.Channel.EMAIL in channels and (not capped or _confirmation_allowed(feedback.email.casefold())):
        send_message(channel=Message.Channel.EMAIL, template=template, recipient=feedback.email,
                     context={"feedback": feedback},
                     language=language or _sender_language(feedback, Message.Channel.EMAIL),
                     idempotency_key=feedback_message_key(feedback, event=event, channel=Message.Channel.EMAIL))


def feedback_submit(*, kind: str, topic: str, content: str, full_name: str, phone=None, email: str = "",
                    agency=None, attachment=None, user=None, client: str = "", idempotency_key: str) -> Feedback:
    """Record a feedback for `agency` (by default the agency managing the logged-in sender) and
    confirm its tracking number to the sender. The same key always yields the same feedback
    (double click, back button, retry). A new one sent from `client` (an IPv4 address or an IPv6
    /64) counts against its SUBMIT_RATE; beyond it, TooManyFeedbacks."""
    if not idempotency_key or len(idempotency_key) > KEY_LENGTH:
        raise ValidationError(gettext("Phiên gửi phản ánh không hợp lệ. Hãy mở lại biểu mẫu."))
    existing = Feedback.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    user = user if user is not None and user.is_authenticated else None
    if agency is None and user is not None and user.person_id:
        agency = user.person.agency
    if agency is None:
        raise ValidationError({"agency": gettext("Chọn cơ quan BHXH nhận phản ánh.")})
    stored = ""
    try:
        with transaction.atomic():
            feedback = Feedback(
                tracking_number=_tracking_number(), kind=kind, topic=topic, content=content.strip(), agency=agency,
                full_name=normalize_name(full_name), phone=phone or "", email=(email or "").strip(), user=user,
                idempotency_key=idempotency_key,
            )
            feedback.full_clean(exclude=["attachment", "idempotency_key"])
            if attachment is not None:
                extension = attachment.name.rsplit(".", 1)[-1]
                feedback.attachment.save(f"{feedback.tracking_number}/dinh-kem.{extension}", attachment, save=False)
                stored = feedback.attachment.name
            feedback.save()  # first: a twin post of the same key waits here, then finds this feedback
            usage = _client_counted(client) if client else None
            if usage is not None and usage["should_limit"]:
                raise TooManyFeedbacks(usage) if cache_reachable() else FeedbacksUnavailable()
            # The sender's own request: acknowledged in the language they wrote it in.
            _notify(feedback, template="feedback_received", event="received", capped=True,
                    language=translation.get_language())
    except Exception as exc:
        if stored:
            Feedback._meta.get_field("attachment").storage.delete(stored)
        if isinstance(exc, IntegrityError):  # the same form posted twice at once
            existing = Feedback.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise
    return feedback


class FeedbackAlreadyAnswered(ValidationError):
    """The feedback was answered already (by a colleague, or by the same officer's first click);
    `feedback` is the feedback as answered, for the caller to show."""

    def __init__(self, feedback: Feedback):
        self.feedback = feedback
        super().__init__(gettext("Phản ánh %(number)s đã được trả lời bởi %(officer)s lúc %(when)s.") % {
            "number": feedback.tracking_number, "officer": feedback.answered_by,
            "when": vn_time_date(feedback.answered_at)})


@transaction.atomic
def feedback_answer(*, feedback: Feedback, officer, answer: str) -> Feedback:
    """An officer of the receiving agency (or one above it) answers: the answer is shown on the
    sender's status page and sent by SMS and/or e-mail, in Vietnamese or, to the phone or address
    of the login that sent it, in the language its holder chose (User.language). A feedback is answered once; a
    correction is a new feedback thread."""
    if not (officer.is_active and officer.has_perm("public_services.answer_feedback")
            and feedback_visible_to(officer).filter(pk=feedback.pk).exists()):
        raise PermissionDenied("Bạn không có quyền trả lời phản ánh, kiến nghị này.")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Nhập nội dung trả lời."})
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.status == Feedback.Status.ANSWERED:
        raise FeedbackAlreadyAnswered(feedback)
    feedback.answer, feedback.status = answer, Feedback.Status.ANSWERED
    feedback.answered_by, feedback.answered_at = officer, timezone.now()
    feedback.full_clean(exclude=["attachment"])
    feedback.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    # Not the officer's request: in the sending login's language to its own phone and address.
    _notify(feedback, template="feedback_answered", event="answered")
    return feedback
