"""Telling an account holder what happened to their account: a password changed or reset, a login
that made a new browser trusted."""

from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from notifications.models import Message
from notifications.services import send_message


class SecurityEvent(StrEnum):
    """What the account holder is told of, each with its message templates
    (notifications/templates/notifications/messages/security_<event>.*.txt)."""

    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    NEW_BROWSER = "new_browser"  # a login that has just made a browser trusted


def security_notify(*, user, event: SecurityEvent) -> None:
    """Tell the account holder, once the surrounding transaction commits, what happened to the
    account and when, and whom to call if it was not them: an in-portal notice, an SMS to the
    registered phone and an e-mail to the account's address, where the account has them."""
    at = timezone.now()
    key = f"security-{event}-{user.pk}-{at:%Y%m%d%H%M%S%f}"  # the occurrence: one notice each
    context = {"event": event, "at": at}
    template = f"security_{event}"

    def send():
        send_message(channel=Message.Channel.INBOX, template=template, context=context, user=user,
                     idempotency_key=f"{key}-inbox")
        phone = user.person.phone if user.person_id else None
        if phone:
            send_message(channel=Message.Channel.SMS, template=template, context=context, user=user,
                         recipient=phone.as_e164, idempotency_key=f"{key}-sms")
        if user.email:
            send_message(channel=Message.Channel.EMAIL, template=template, context=context, user=user,
                         recipient=user.email, idempotency_key=f"{key}-email")

    transaction.on_commit(send)
