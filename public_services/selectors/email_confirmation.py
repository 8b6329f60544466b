"""The e-mail address typed on a filing's form: whether it may receive the filing's e-mails, whether the
citizen may ask its confirmation again, and the signed token of the link that confirms it."""

import hashlib

from django.conf import settings
from django.core import signing
from django.db.models.functions import Lower
from django.utils.crypto import constant_time_compare, salted_hmac

from vssid_portal.secret_keys import secret_keys

from ..models import OPEN_STATUSES, Filing


def typed_email(filing: Filing) -> str:
    """The e-mail address typed on the filing's form, "" when none was."""
    return (filing.data.get("email") or "").strip()


def typed_email_confirmed(filing: Filing) -> bool:
    """Whether the address typed on the filing's form may receive the filing's e-mails: its owner
    confirmed it by the link mailed to it (filing.email_confirmed), or it is the submitter's login's,
    which the portal mails the account's notices to without asking (ACCOUNT_EMAIL_VERIFICATION is
    "none": the address given at registration or changed by an approved contact change is the
    account's, as for the security notices), compared without regard to case. True without one."""
    typed = typed_email(filing).lower()
    return not typed or typed in {filing.email_confirmed.lower(), (filing.submitted_by.email or "").lower()}


def typed_email_confirmed_elsewhere(filing: Filing) -> bool:
    """Whether the address typed on the filing's form was confirmed, by its link, on another filing
    submitted by the same login (a parent filing for each child with one address), compared without
    regard to case: its owner need not confirm it once more (services._confirmed_elsewhere)."""
    address = typed_email(filing).lower()
    return bool(address) and (Filing.objects.filter(submitted_by_id=filing.submitted_by_id).exclude(pk=filing.pk)
                              .alias(confirmed=Lower("email_confirmed")).filter(confirmed=address).exists())


def email_confirmation_resend_offered(filing: Filing) -> bool:
    """Whether the citizen may ask the link confirming the filing's typed address again: the filing
    is open and that address is not confirmed (services.filing_email_confirmation_resend)."""
    return filing.status in OPEN_STATUSES and not typed_email_confirmed(filing)


_EMAIL_CONFIRMATION_SALT = "public_services.filing-email-confirmation"
EMAIL_CONFIRMATION_DAYS = 7


def email_key(address: str) -> str:
    """A short name of an address, the same whatever its case, for the idempotency key of its
    confirmation e-mail (one per address per filing)."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:16]


def _address_mac(address: str, secret: str) -> str:
    return salted_hmac(_EMAIL_CONFIRMATION_SALT, address.strip().lower(), secret=secret,
                       algorithm="sha256").hexdigest()[:32]


def email_confirmation_token(filing: Filing, address: str) -> str:
    """The signed token of the link confirming `address` for `filing`, good EMAIL_CONFIRMATION_DAYS:
    it names the filing and a keyed digest of the address (not the address itself, which a link
    logged on the way would show), so that it confirms nothing once the filing's address changed."""
    return signing.dumps([filing.pk, _address_mac(address, settings.SECRET_KEY)], salt=_EMAIL_CONFIRMATION_SALT)


def filing_of_email_confirmation(token: str, *, queryset=None) -> Filing | None:
    """The filing whose typed address the link's `token` (email_confirmation_token) confirms; None for
    a forged or expired token, or one of an address the filing no longer has. The digest is checked
    under SECRET_KEY and the fallback keys (secret_keys), as the signature is by Django."""
    try:
        signed = signing.loads(token or "", salt=_EMAIL_CONFIRMATION_SALT, max_age=EMAIL_CONFIRMATION_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not (isinstance(signed, list) and len(signed) == 2 and type(signed[0]) is int and isinstance(signed[1], str)):
        return None
    filing = (Filing.objects if queryset is None else queryset).filter(pk=signed[0]).first()
    typed = typed_email(filing) if filing is not None else ""
    if not typed or not any(constant_time_compare(signed[1], _address_mac(typed, secret)) for secret in secret_keys()):
        return None
    return filing
