"""Reads of feedback: the sender finds one only with its tracking number AND the phone or
e-mail given when sending it, so a tracking number alone reveals nothing; an officer sees the
feedback sent to their agency and, for a province officer, to every agency below it."""

import phonenumbers
from django.db.models import QuerySet

from lookup.selectors import within_officer_scope
from notifications.models import Message

from ..models import Feedback


def feedback_for_sender(*, tracking_number: str, contact: str) -> Feedback | None:
    found = Feedback.objects.filter(tracking_number=tracking_number).first()
    if found is None:
        return None
    contact = contact.strip()
    if "@" in contact:
        return found if found.email and found.email.casefold() == contact.casefold() else None
    try:
        number = phonenumbers.parse(contact, "VN")
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return found if found.phone and found.phone.as_e164 == e164 else None


def feedback_message_key(feedback: Feedback, *, event: str, channel: str) -> str:
    """The outbox key of the message sent to the sender on `event` ("received", "answered")."""
    return f"feedback-{feedback.tracking_number}-{event}-{channel}"


def feedback_contact_channels(feedback: Feedback) -> list[str]:
    """The channels the sender is told on (services.feedback._notify), and the answer form names
    beside the answer (notifications.texts.sent_as_typed): an SMS to the phone and an e-mail to the
    address the sender gave, whether or not sent by a login, and never a notice in the portal."""
    return [channel for channel, given in [(Message.Channel.SMS, feedback.phone), (Message.Channel.EMAIL, feedback.email)]
            if given]


def feedback_unconfirmed_channels(*, feedback: Feedback) -> list[str]:
    """The channels (SMS, e-mail) the sender gave on which no confirmation of receipt was queued:
    the hourly cap per recipient held it back."""
    wanted = {feedback_message_key(feedback, event="received", channel=channel): channel
              for channel in feedback_contact_channels(feedback)}
    if not wanted:
        return []
    queued = set(Message.objects.filter(idempotency_key__in=wanted).values_list("idempotency_key", flat=True))
    return [channel for key, channel in wanted.items() if key not in queued]


def feedback_by_tracking(*, tracking_number: str) -> Feedback | None:
    return Feedback.objects.filter(tracking_number=tracking_number).select_related("agency").first()


def feedback_visible_to(user) -> QuerySet[Feedback]:
    """Superusers see every feedback; staff holding the view permission see their agency's
    subtree, as with filings; anyone else none."""
    feedback = Feedback.objects.select_related("agency", "user", "answered_by")
    if not user.has_perm("public_services.view_feedback"):  # an inactive user holds no permission
        return feedback.none()
    return within_officer_scope(feedback, user)
