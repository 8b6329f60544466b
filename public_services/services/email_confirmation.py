"""The confirmation of an e-mail address typed on a filing's form: its e-mails go there only once the
address's owner has opened the link mailed to it (_ask_email_confirmation on submission and
resubmission, filing_email_confirmation_resend from the filing's page, filing_email_confirm from the
link), within the limits of confirmation e-mails per address and per filing.
"""

import datetime
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from notifications.models import Message
from notifications.services import send_message
from vssid_portal.ratelimit import recipient_counted

from ..models import Filing
from ..selectors import (
    EMAIL_CONFIRMATION_DAYS,
    email_confirmation_resend_offered,
    email_confirmation_token,
    email_key,
    filing_of_email_confirmation,
    typed_email,
    typed_email_confirmed,
    typed_email_confirmed_elsewhere,
)

# Confirmation e-mails to one address, whichever filing, login or client asks them (a stranger's
# address typed, withdrawn and typed again), and those asked again for one filing by its button.
CONFIRMATIONS_PER_ADDRESS = "3/d"
RESENDS_PER_FILING = "3/h"
# Asked again within this of the filing's last confirmation e-mail to the address (a double click),
# nothing is sent nor counted against the limits above.
RESEND_WAIT = datetime.timedelta(seconds=60)


def _confirmation_mail(filing: Filing, address: str, *, link_base: str, key: str) -> None:
    path = reverse("public_services:email_confirm", args=[email_confirmation_token(filing, address)])
    # sensitive: the working link is kept out of the outbox (and its backups) once sent, as an OTP is.
    send_message(channel=Message.Channel.EMAIL, template="public_service_email_confirm", recipient=address,
                 context={"confirm_url": (settings.PORTAL_PUBLIC_URL or link_base).rstrip("/") + path,
                          "days": EMAIL_CONFIRMATION_DAYS},
                 idempotency_key=key, sensitive=True,
                 expires_at=timezone.now() + datetime.timedelta(days=EMAIL_CONFIRMATION_DAYS),
                 language=_filer_language(filing))  # asked by the filer's own request, in its language


def _filer_language(filing: Filing) -> str:
    """The language of the filer's own request that asks the typed address to be confirmed (the
    confirmation e-mail's), kept on the filing for the address's later e-mails (Filing.email_language),
    whichever page or phone then opens the link."""
    language = translation.get_language()
    filing.email_language = language if language in dict(settings.LANGUAGES) else ""
    filing.save(update_fields=["email_language", "updated_at"])
    return filing.email_language


def _address_counted(address: str) -> dict | None:
    return recipient_counted(group="public_services.filing_email_confirmation", recipient=address.casefold(),
                             rate=CONFIRMATIONS_PER_ADDRESS)


def _confirmed_elsewhere(filing: Filing) -> bool:
    """Confirm the address typed on the filing's form, sending nothing and counting nothing, when
    it was confirmed on another filing of the same login (typed_email_confirmed_elsewhere)."""
    if not typed_email_confirmed_elsewhere(filing):
        return False
    filing.email_confirmed = typed_email(filing)
    filing.save(update_fields=["email_confirmed", "updated_at"])
    _filer_language(filing)
    return True


def _ask_email_confirmation(filing: Filing, *, link_base: str) -> None:
    """Mail the address typed on a submitted or resubmitted filing's form, when its e-mails may not go
    there yet (typed_email_confirmed), the link confirming it: once per address per filing (its
    idempotency key), whichever step or revision asks, none when the same login's other filing has it
    confirmed (_confirmed_elsewhere), and at most CONFIRMATIONS_PER_ADDRESS to one
    address (beyond it, or while the count cannot be kept, the filing is still recorded and the
    citizen may ask the e-mail again from its page: filing_email_confirmation_resend). The e-mail
    says nothing of the filing, its person or its procedure: a mistyped address reaches a stranger.
    The link starts with PORTAL_PUBLIC_URL when set, else `link_base` (the scheme and host of the
    request)."""
    address = typed_email(filing)
    if not address or typed_email_confirmed(filing) or _confirmed_elsewhere(filing):
        return
    key = f"filing-{filing.tracking_number}-email-confirm-{email_key(address)}"
    if Message.objects.filter(idempotency_key=key).exists():
        return
    usage = _address_counted(address)
    if usage is not None and usage["should_limit"]:
        return
    _confirmation_mail(filing, address, link_base=link_base, key=key)


class ConfirmationsRefused(ValidationError):
    """The confirmation e-mail is not sent again: the filing's RESENDS_PER_FILING or the address's
    CONFIRMATIONS_PER_ADDRESS is reached. `usages`: django-ratelimit's counts, this request counted,
    which say how long is left (vssid_portal.ratelimit.usages_refusal)."""

    def __init__(self, usages: list):
        self.usages = usages
        super().__init__(gettext("Thư xác nhận đã được gửi lại nhiều lần. Hãy mở thư đã gửi hoặc thử lại sau."),
                         code="too_many")


class ConfirmationsUnavailable(ValidationError):
    """The limits could not be counted (Redis down): nothing is sent, and it is no fault of the citizen's."""

    def __init__(self):
        super().__init__(gettext("Gửi lại thư xác nhận đang tạm gián đoạn. Hãy thử lại sau vài phút."),
                         code="unavailable")


def filing_email_confirmation_resend(*, filing: Filing, link_base: str) -> str:
    """Send the address typed on an open filing's form, not confirmed yet, a new link confirming it
    (the citizen deleted the first, let it expire, or its delivery was given up), under a key of its
    own so that it is sent again; the address it went to. At most RESENDS_PER_FILING for the
    filing and CONFIRMATIONS_PER_ADDRESS to the address (ConfirmationsRefused). ValidationError,
    nothing sent nor counted, within RESEND_WAIT of the last one (a double click). ValidationError,
    nothing sent, when there is nothing to confirm any more (confirmed, here or on another filing of
    the same login, which confirms it here: _confirmed_elsewhere; address changed or filing ended
    meanwhile). The caller has checked that the login may view the filing."""
    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing.pk)
        needed = email_confirmation_resend_offered(filing) and not _confirmed_elsewhere(filing)
        if needed:
            address = typed_email(filing)
            prefix = f"filing-{filing.tracking_number}-email-confirm-{email_key(address)}"
            last = Message.objects.filter(idempotency_key__startswith=prefix).order_by("-created_at").first()
            if last is not None and timezone.now() - last.created_at < RESEND_WAIT:
                minutes = math.ceil(RESEND_WAIT.total_seconds() / 60)
                raise ValidationError(ngettext(
                    "Thư xác nhận vừa được gửi. Hãy kiểm tra hộp thư, kể cả mục thư rác, rồi thử lại sau %(minutes)s "
                    "phút nếu chưa nhận được.",
                    "Thư xác nhận vừa được gửi. Hãy kiểm tra hộp thư, kể cả mục thư rác, rồi thử lại sau %(minutes)s "
                    "phút nếu chưa nhận được.", minutes) % {"minutes": minutes}, code="just_sent")
            usages = [recipient_counted(group="public_services.filing_email_resend", recipient=str(filing.pk),
                                        rate=RESENDS_PER_FILING), _address_counted(address)]
            if any(usage is not None and usage["should_limit"] for usage in usages):
                raise ConfirmationsRefused(usages)
            sent = Message.objects.filter(idempotency_key__startswith=prefix).count()
            _confirmation_mail(filing, address, link_base=link_base, key=f"{prefix}-{sent + 1}")
    if not needed:  # raised once the address confirmed from another filing is committed
        raise ValidationError(gettext("Không cần gửi lại thư xác nhận: địa chỉ email đã được xác nhận, "
                                      "đã thay đổi hoặc hồ sơ đã kết thúc."), code="not_needed")
    return address


@transaction.atomic
def filing_email_confirm(*, token: str) -> Filing | None:
    """Confirm the address typed on a filing's form by the link mailed to it (`token`): the filing's
    later e-mails go there, in the language the filer asked the confirmation in (Filing.email_language,
    not the page's that opens the link: a phone without the portal's cookie reads Vietnamese). None,
    nothing written, for a forged or expired link, or one of an address the filing no longer has
    (checked again on the locked row: a resubmission meanwhile)."""
    filing = filing_of_email_confirmation(token, queryset=Filing.objects.select_for_update())
    if filing is not None and not typed_email_confirmed(filing):
        filing.email_confirmed = typed_email(filing)
        filing.save(update_fields=["email_confirmed", "updated_at"])
    return filing
