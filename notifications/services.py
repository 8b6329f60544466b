"""Writes to the outbox: queue a message, deliver it once, mark notices read."""

import logging
import math
import smtplib
from datetime import datetime, timedelta
from email.utils import parseaddr
from pathlib import PurePosixPath
from typing import NamedTuple
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from vssid_portal.cache import forget
from vssid_portal.jobs import dispatch

from .models import Message
from .selectors import unread_cache_key
from .sms import SmsDeliveryError, SmsRejected, get_sms_backend, sms_text

logger = logging.getLogger(__name__)

REDACTED = "(Nội dung nhạy cảm đã được xóa sau khi gửi.)"


def send_message(*, channel: str, template: str, context: dict, idempotency_key: str,
                 user=None, recipient: str = "", attachment: str = "", sensitive: bool = False,
                 expires_at=None, language: str = "") -> Message:
    """Queue one message; delivery starts when the surrounding transaction commits.

    Templates: `notifications/messages/<template>.subject.txt` (e-mail and notices),
    `<template>.body.txt`, and for a notice an optional `<template>.link.txt`: the portal page it
    speaks of, linked from the notice. The templates see the `channel` they render for, so a text
    can say less by SMS (message_text.quoted cuts an officer's words there), and the portal's
    `hotline`. The same idempotency
    key never makes a second message. An e-mail may
    carry one private file (`attachment`: its name in private storage). A `sensitive` message
    (a temporary password, a one-time code) loses its text once delivered or given up; a message
    with `expires_at` (a code that lives 5 minutes) is dropped rather than sent late, or with less
    than NOTIFICATION_MIN_USEFUL_SECONDS left.

    The message is written, here and once, in its reader's language, never in the language of the
    page whose action caused it (an officer's step, a citizen's page read in English): to a login
    (`user`), the language its holder chose on the portal (`User.language`); to a phone or address
    without a login (a filing's typed e-mail address, a registration's phone, a feedback's
    contact), Vietnamese, unless the caller passes `language`: the language of the request that
    caused it when that request was the recipient's own (made by whoever filed, registered or wrote
    and typed that phone or address), or the language such a request left on the record a later
    message is about (a filing's typed address: the page it was confirmed from, Filing.email_language),
    never an officer's. A caller may pass `language` for one
    message to a login too, without changing the login's (the new device's code, written in the
    language chosen on the browser logging in). Dates and amounts follow the language
    (vssid_portal.templatetags.vn_format), as the pages do.
    """
    language = _language_of(user, language)
    # A choice label or other lazy text in the context follows the language written in.
    context = {**context, "channel": channel, "hotline": settings.PORTAL_HOTLINE}
    with translation.override(language):
        subject = ""
        if channel != Message.Channel.SMS:
            subject = " ".join(render_to_string(f"notifications/messages/{template}.subject.txt", context).split())
        body = render_to_string(f"notifications/messages/{template}.body.txt", context).strip()
        if channel == Message.Channel.SMS:
            body = sms_text(body)
        link = _link(template, context) if channel == Message.Channel.INBOX else ""
    now = timezone.now()
    delivered_on_write = channel == Message.Channel.INBOX
    with transaction.atomic():
        message, created = Message.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={
                "channel": channel,
                "user": user,
                "recipient": str(recipient or ""),
                "template": template,
                "subject": subject,
                "body": body,
                "language": language,
                "attachment": attachment,
                "link": link,
                "sensitive": sensitive,
                "expires_at": expires_at,
                "status": Message.Status.SENT if delivered_on_write else Message.Status.PENDING,
                "sent_at": now if delivered_on_write else None,
            },
        )
        if created and not delivered_on_write:
            transaction.on_commit(lambda: dispatch_delivery(message.pk))
    return message


def _language_of(user, language: str) -> str:
    """The language a message is written in (send_message): `language` when the caller gives one,
    else the login's, else Vietnamese; one the portal offers."""
    offered = dict(settings.LANGUAGES)
    for chosen in (language, getattr(user, "language", "")):
        if chosen in offered:
            return chosen
    return settings.LANGUAGE_CODE


def _link(template: str, context: dict) -> str:
    """The page a notice speaks of, from its optional link template; only a path of the portal."""
    try:
        path = render_to_string(f"notifications/messages/{template}.link.txt", context).strip()
    except TemplateDoesNotExist:
        return ""
    return path if path.startswith("/") and not path.startswith("//") else ""


def dispatch_delivery(message_id: int) -> None:
    """Hand a message to the Celery worker. A broker outage must not fail the user's request:
    the message stays pending and the periodic sweep dispatches it again."""
    from .tasks import deliver_message

    dispatch(deliver_message, message_id)


def retry_delay(attempts: int) -> int:
    """Exponential backoff: base, 2×base, 4×base … capped at one hour."""
    return min(settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 3600)


class Delivery(NamedTuple):
    """What one run of a message's delivery ended with."""

    message: Message | None  # None: nothing to deliver (sent, given up, or deleted by the yearly clean-up)
    retry_in: float | None = None  # run again in this many seconds: a failed try's backoff, or another run's claim
    waiting_for: datetime | None = None  # the claim of another run that the next run waits for


def message_deliver(*, message_id: int, waiting_for: datetime | None = None) -> Delivery:
    """Deliver one pending message at most once.

    A try first claims the message in a short transaction of its own, the row locked: it counts
    the attempt and holds the message NOTIFICATION_CLAIM_SECONDS, longer than the delivery task's
    hard time limit (NOTIFICATION_TASK_TIME_LIMIT) lets a try live. The claim is committed before
    the backend is called, so a try that ends its worker process (the task is then handed out
    again at once, settings: reject_on_worker_lost) still counts, and a message is given up after
    NOTIFICATION_MAX_ATTEMPTS whatever ended each try. The backend is called outside any
    transaction, and the try's end (sent, given up or left for its retry) releases the claim.

    Another run of the same task (a redelivery, the sweep's copy) that finds a live claim neither
    counts nor sends: it comes back once the claim runs out (`waiting_for` that claim). A claim
    released meanwhile means that try ended, and its own retry, if any, follows; a claim run out
    was a dead worker's, and the message is taken over.
    """
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id, status=Message.Status.PENDING).first()
        if message is None:
            logger.info("message %s: nothing to deliver (sent, given up or deleted)", message_id)
            return Delivery(None)
        now = timezone.now()
        claim = message.claimed_until
        if claim and claim > now:
            if claim == waiting_for:  # back before it ran out: an eager run, or clocks that disagree
                logger.warning("message %s: its claim has not run out yet; left to the sweep", message_id)
                return Delivery(message)
            logger.info("message %s: another run is sending it; back once its claim runs out", message_id)
            return Delivery(message, retry_in=(claim - now).total_seconds() + 1, waiting_for=claim)
        if claim is None and waiting_for is not None:
            logger.info("message %s: the run it waited for ended its try", message_id)
            return Delivery(message)
        message.claimed_until = None  # a dead worker's claim, run out, if any
        if too_late := _too_late_reason(message, now):
            _give_up(message, too_late)
            return Delivery(message)
        if message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:  # the last try ended its process
            _give_up(message, f"Đã thử gửi {message.attempts} lần; lần cuối dừng giữa chừng.")
            return Delivery(message)
        message.attempts += 1
        message.claimed_until = now + timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
        message.save(update_fields=["attempts", "claimed_until", "updated_at"])
    try:
        _send(message)
    except Exception as exc:  # every failure is an attempt, or a message could be resent for ever
        if not isinstance(exc, (SmsDeliveryError, smtplib.SMTPException, OSError, SoftTimeLimitExceeded)):
            logger.error("message %s: unexpected delivery failure", message.pk, exc_info=True)
        return _try_failed(message, exc)
    message.status = Message.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.claimed_until = None
    if message.sensitive:
        message.body = REDACTED
    message.save(update_fields=["last_error", "status", "sent_at", "claimed_until", "updated_at", "body"])
    return Delivery(message)


def _too_late_reason(message: Message, now: datetime) -> str:
    """Why a message with `expires_at` (a one-time code, a confirmation link) is not to be sent at
    `now`: it has run out, or it would arrive with less than NOTIFICATION_MIN_USEFUL_SECONDS left,
    too late to be typed. Empty when it may go."""
    if not message.expires_at:
        return ""
    if now >= message.expires_at:
        return "Hết hạn trước khi gửi được."
    left = (message.expires_at - now).total_seconds()
    if left < settings.NOTIFICATION_MIN_USEFUL_SECONDS:
        return f"Chỉ còn {math.ceil(left)} giây là hết hạn, không kịp dùng nên không gửi."
    return ""


def _try_failed(message: Message, exc: Exception) -> Delivery:
    """End a failed try and release its claim: the message given up, or left for its retry. A try
    that outlived its claim leaves the message to the run that took it over."""
    with transaction.atomic():
        held = Message.objects.select_for_update().filter(
            pk=message.pk, status=Message.Status.PENDING, claimed_until=message.claimed_until
        ).exists()
        if not held:
            logger.warning("message %s: a failed try outlived its claim; left to the run that took it over",
                           message.pk)
            return Delivery(message)
        message.claimed_until = None
        if isinstance(exc, SmsRejected) or message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            _give_up(message, str(exc))
            return Delivery(message)
        message.last_error = str(exc)[:2000]
        message.save(update_fields=["last_error", "claimed_until", "updated_at"])
        return Delivery(message, retry_in=retry_delay(message.attempts))


def _give_up(message: Message, reason: str) -> None:
    message.status = Message.Status.FAILED
    message.last_error = reason[:2000]
    message.claimed_until = None
    if message.sensitive:
        message.body = REDACTED
    message.save(update_fields=["last_error", "status", "claimed_until", "body", "updated_at"])


def _send(message: Message) -> None:
    if message.channel == Message.Channel.SMS:
        get_sms_backend().send(to=message.recipient, text=message.body, idempotency_key=message.idempotency_key)
    elif message.channel == Message.Channel.EMAIL:
        email = EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient],
                             headers={"Message-ID": email_message_id(message)})
        if message.attachment:
            with default_storage.open(message.attachment, "rb") as handle:
                email.attach(PurePosixPath(message.attachment).name, handle.read())
        _send_email(email, message)


def _send_email(email: EmailMessage, message: Message) -> None:
    """Send `email` on a connection of our own, closed once the server has accepted it (or failed).

    The backend would close a connection it opened itself in a `finally`, and an error closing it
    (a timeout or a reset during QUIT, the soft time limit arriving then) would fail a try whose
    e-mail the server had already accepted, and the retries would send it again. Closing is only
    tidying up: its errors are logged, never a failed try; an error opening or sending still is."""
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        connection.send_messages([email])
    finally:
        try:
            connection.close()
        except Exception as exc:  # the message's fate was settled before
            logger.info("message %s: closing the mail server's connection failed: %r", message.pk, exc)


def email_message_id(message: Message) -> str:
    """The Message-ID of the e-mail of `message`, the same on every try: a mail server that took the
    e-mail but whose answer was lost (a timeout) is sent it again by the retry, and the servers and
    mail programs that see the same Message-ID twice drop the copy. Made of the row's id and the
    time it was written (an id used again after a database rebuilt is another message), on the
    portal's domain: PORTAL_PUBLIC_URL's host, else the domain of DEFAULT_FROM_EMAIL."""
    sender_domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    domain = urlsplit(settings.PORTAL_PUBLIC_URL).hostname or sender_domain or "localhost"
    domain = domain.encode("idna").decode("ascii")
    return f"<message.{message.pk}.{message.created_at:%Y%m%d%H%M%S%f}@{domain}>"


def messages_redispatch_pending(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Dispatch again the messages left pending (broker outage, lost task) `older_than` after their
    next try was due: at once for one never tried, `retry_delay(attempts)` after the last failure
    for one waiting for its retry; at once for one whose hold has run out
    (messages_redispatch_lapsed_holds); never one held by a try in progress. Returns how many."""
    now = timezone.now()
    cutoff = now - older_than
    due = Q(attempts=0, updated_at__lt=cutoff)
    for attempts in range(1, settings.NOTIFICATION_MAX_ATTEMPTS + 1):
        due |= Q(attempts=attempts, updated_at__lt=cutoff - timedelta(seconds=retry_delay(attempts)))
    # Past the last attempt (NOTIFICATION_MAX_ATTEMPTS lowered since): given up at the next delivery.
    past_last = settings.NOTIFICATION_MAX_ATTEMPTS + 1
    due |= Q(attempts__gte=past_last, updated_at__lt=cutoff - timedelta(seconds=retry_delay(past_last)))
    return _redispatch(due | _hold_lapsed(now), now)


def messages_redispatch_lapsed_holds() -> int:
    """Dispatch at once the pending messages whose hold (claimed_until) has run out: the try that
    held it never ended, its worker died or was ended by the delivery task's hard time limit, whose
    task Celery acknowledges and hands out to nobody again. Run every minute (beat), so that a
    one-time code whose try was killed is sent again within about a minute of its hold's end, not
    left to messages_redispatch_pending's 10 minutes. Returns how many."""
    now = timezone.now()
    return _redispatch(_hold_lapsed(now), now)


def _hold_lapsed(now: datetime) -> Q:
    """A hold run out: every try that ends releases its hold (sent, given up or failed)."""
    return Q(claimed_until__lte=now)


def _redispatch(due: Q, now: datetime) -> int:
    """Dispatch the pending SMS and e-mails that are `due`, save those held by a try in progress."""
    ids = list(
        Message.objects.filter(due, status=Message.Status.PENDING)
        .exclude(channel=Message.Channel.INBOX)
        .exclude(claimed_until__gt=now)
        .values_list("pk", flat=True)[:1000]
    )
    for message_id in ids:
        dispatch_delivery(message_id)
    return len(ids)


# The delivery log of SMS and e-mail holds phone numbers, addresses and what was said to them: it
# is kept a year (long enough to answer "I never got the message") and then deleted. In-portal
# notices are the citizen's own record and stay.
OUTBOX_RETENTION = timedelta(days=365)
# Rows deleted at a time: Django reads the rows it deletes (for the post_delete receiver), so a
# backlog is never read whole into memory, nor locked in one long transaction.
OUTBOX_DELETE_BATCH = 1000


def messages_delete_old(*, older_than: timedelta = OUTBOX_RETENTION) -> int:
    """Delete the SMS and e-mails delivered or given up more than `older_than` ago, a batch at a
    time. Returns how many."""
    cutoff = timezone.now() - older_than
    old = Message.objects.filter(status__in=[Message.Status.SENT, Message.Status.FAILED],
                                 updated_at__lt=cutoff).exclude(channel=Message.Channel.INBOX)
    deleted = 0
    while ids := list(old.order_by().values_list("pk", flat=True)[:OUTBOX_DELETE_BATCH]):
        deleted += old.filter(pk__in=ids).delete()[0]
    return deleted


def notice_mark_read(*, user, message_id: int | None = None, up_to_id: int | None = None) -> int:
    """Mark one of the user's in-portal notices read, or all of them when no id is given (with
    `up_to_id`, those up to that id: the ones the list showed, not one that came since)."""
    notices = Message.objects.filter(user=user, channel=Message.Channel.INBOX, read_at__isnull=True)
    if message_id is not None:
        notices = notices.filter(pk=message_id)
    if up_to_id is not None:
        notices = notices.filter(pk__lte=up_to_id)
    marked = notices.update(read_at=timezone.now())
    forget_unread_count(user.pk)
    user.prefetched_unread_count = None  # the page this request renders counts afresh
    return marked


def forget_unread_count(user_id) -> None:
    """Drop the cached unread count (selectors.unread_notice_count)."""
    forget([unread_cache_key(user_id)])


def forget_unread_count_of_message(sender, instance, **kwargs):
    """Receiver of post_save and post_delete of Message: a notice written, changed or deleted."""
    if instance.channel == Message.Channel.INBOX and instance.user_id:
        forget_unread_count(instance.user_id)
