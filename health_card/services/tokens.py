"""Clinic API tokens: made (once per add form, whatever its posts), revoked, and authenticated on every
check, kept in the cache for a minute and forgotten at once when the token or its clinic changes."""

import base64
import datetime
import hashlib
import math
import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, ngettext

from lookup.models import MedicalFacility
from lookup.signals import bulk_updated
from vssid_portal.cache import forget
from vssid_portal.secret_keys import secret_keys
from vssid_portal.templatetags.vn_format import vn_date

from ..models import FacilityApiToken
from ..models.card import TOKEN_MAX_YEARS, add_years, token_day_end
from ..selectors import api_token_by_hash

TOKEN_PREFIX = "bhyt_"
TOKEN_USE_PRECISION = datetime.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


TOKEN_NONCE_SALT = "health_card.api_token.from_nonce"


def api_token_from_nonce(nonce: str, *, secret: str | None = None) -> str:
    """The plain token an add form's one-time nonce stands for, shaped like a random one: an HMAC
    keyed by the server's secret (SECRET_KEY, or `secret`), so the nonce alone (in the officer's
    browser) is not the token, and what the server keeps (the hash) gives back neither."""
    digest = salted_hmac(TOKEN_NONCE_SALT, nonce, secret=secret, algorithm="sha256").digest()
    return TOKEN_PREFIX + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def api_token_made_from_nonce(nonce: str) -> tuple[FacilityApiToken, str] | None:
    """The token a nonce already made and its plain value, under SECRET_KEY or, when it was made just
    before a rotation, the fallback key it was made with (`secret_keys`); None when it made none."""
    for secret in secret_keys():
        raw = api_token_from_nonce(nonce, secret=secret)
        if (made := api_token_by_hash(token_hash(raw))) is not None:
            return made, raw
    return None


def api_token_refusal(token: FacilityApiToken, *, facility, name: str, created_by=None,
                      expires_at: datetime.datetime | None = None) -> str | None:
    """Why a form whose nonce already made `token` may not give it again; None when it may (the
    same officer posting the same clinic, name and expiry: a double click, a browser re-post)."""
    if token.revoked_at is not None:
        return gettext("Mã truy cập %(prefix)s… tạo từ biểu mẫu này đã bị thu hồi: không tạo lại mã đó. "
                       "Hãy mở lại trang “Thêm mã truy cập API xác thực thẻ” để tạo mã mới.") % {"prefix": token.prefix}
    if ((token.facility_id, token.name, token.created_by_id) != (facility.pk, name, getattr(created_by, "pk", None))
            or (expires_at is not None and token.expires_at != expires_at)):
        return gettext("Biểu mẫu này đã tạo mã truy cập %(prefix)s… cho %(facility)s, tên “%(name)s”: không tạo "
                       "thêm mã nào. Hãy mở lại trang “Thêm mã truy cập API xác thực thẻ” để tạo một mã khác.") % {
            "prefix": token.prefix, "facility": token.facility, "name": token.name}
    return None


def api_token_expiry(day: datetime.date, *, today: datetime.date | None = None) -> datetime.datetime:
    """The end of `day` (local time), as a token's expiry an officer picks: ValidationError unless
    the day is after today and at most TOKEN_MAX_YEARS on (by the calendar)."""
    today = today or timezone.localdate()
    if day <= today:
        raise ValidationError(gettext("Ngày hết hạn phải sau hôm nay."))
    last = add_years(today, TOKEN_MAX_YEARS)
    if day > last:
        raise ValidationError(ngettext("Mã truy cập API có giá trị tối đa %(count)s năm: chọn ngày hết hạn "
                                       "không muộn hơn %(last)s.",
                                       "Mã truy cập API có giá trị tối đa %(count)s năm: chọn ngày hết hạn "
                                       "không muộn hơn %(last)s.", TOKEN_MAX_YEARS)
                              % {"count": TOKEN_MAX_YEARS, "last": vn_date(last)})
    return token_day_end(day)


def api_token_create(*, facility, name: str, created_by=None, nonce: str | None = None,
                     expires_at: datetime.datetime | None = None) -> tuple[FacilityApiToken, str]:
    """A new token for a facility, good until `expires_at` (by default the end of the day TOKEN_YEARS
    on, at most TOKEN_MAX_YEARS: api_token_expiry); the plain token is returned once and never stored.

    With the nonce of an add form the token is derived from it, and token_hash is unique: the same
    form posted again (a double click, a browser re-posting after a slow answer) gets back the token
    its first post made, never a second live one. A nonce whose token was revoked, or that made a
    token for another clinic, name, officer or expiry, is refused (ValidationError) and makes nothing."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32) if nonce is None else api_token_from_nonce(nonce)
    digest = token_hash(raw)
    token = FacilityApiToken(facility=facility, name=name, prefix=raw[:12], token_hash=digest, created_by=created_by)
    if expires_at is not None:
        api_token_expiry(timezone.localdate(expires_at))  # the same bounds as the officer's form
        token.expires_at = expires_at
    token.full_clean(exclude=["token_hash", "prefix"])
    if nonce is None:
        token.save()
        return token, raw
    made = api_token_made_from_nonce(nonce)
    if made is None:
        try:
            with transaction.atomic():
                token.save()
            return token, raw
        except IntegrityError:
            # The same form posted at the same moment: its first post made the token meanwhile.
            made = api_token_made_from_nonce(nonce)
            if made is None:
                raise
    made, raw = made
    if refusal := api_token_refusal(made, facility=facility, name=name, created_by=created_by, expires_at=expires_at):
        raise ValidationError(refusal)
    return made, raw


# A clinic's software sends the same token with every check: the row is kept in the cache for a
# minute (never past the token's expiry) and dropped at once (and again after the commit) on every
# save, delete or revocation.
TOKEN_CACHE_SECONDS = 60


def _token_cache_key(digest: str) -> str:
    return f"health_card:api_token:{digest}"


def _forget_token(digest: str) -> None:
    forget([_token_cache_key(digest)])


@receiver([post_save, post_delete], sender=FacilityApiToken)
def _forget_saved_token(sender, instance, **kwargs):
    _forget_token(instance.token_hash)


@receiver(post_save, sender=MedicalFacility)
def _forget_facility_tokens(sender, instance, **kwargs):
    # The cached token carries its clinic: a contract ended must refuse it at once.
    forget([_token_cache_key(digest) for digest in instance.bhyt_api_tokens.values_list("token_hash", flat=True)])


@receiver(bulk_updated, sender=MedicalFacility)
def _forget_loaded_facilities_tokens(sender, pks, **kwargs):
    # The same for facilities the reference loader overwrote (load_reference_data --update).
    digests = FacilityApiToken.objects.filter(facility_id__in=pks).values_list("token_hash", flat=True)
    forget([_token_cache_key(digest) for digest in digests])


def api_token_revoke(*, token: FacilityApiToken) -> bool:
    """Revoke a token; False when it was revoked already (nothing changes)."""
    revoked = FacilityApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _forget_token(token.token_hash)
    return bool(revoked)


def api_token_authenticate(raw: str) -> FacilityApiToken | None:
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    digest = token_hash(raw)
    now = timezone.now()
    token = cache.get(_token_cache_key(digest))
    if token is None:
        # token_hash is unique: no ordering wanted. The clinic comes with it: whether it may still check cards.
        token = (FacilityApiToken.objects.filter(token_hash=digest, revoked_at__isnull=True, expires_at__gt=now)
                 .select_related("facility").order_by().first())
        if token is None:
            return None
        left = math.ceil((token.expires_at - now).total_seconds())
        cache.set(_token_cache_key(digest), token, min(TOKEN_CACHE_SECONDS, left))
    if token.expired(now):  # cached in its last seconds
        return None
    # "Last used" to the minute: clinic software calls many times a second, and a write per call
    # would cost more than the check it logs (every check has its own CardCheck row anyway).
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_PRECISION:
        FacilityApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        _forget_token(digest)
    return token


def api_token_ended(raw: str) -> FacilityApiToken | None:
    """The revoked or expired token whose plain text this is, for its caller to be told so (and
    when: `api_token_end`); None for any other."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = api_token_by_hash(token_hash(raw))
    return token if token is not None and (token.revoked_at is not None or token.expired()) else None


def api_token_end(token: FacilityApiToken) -> tuple[bool, datetime.datetime]:
    """Whether an ended token was revoked (else it expired), and when: whichever came first."""
    if token.revoked_at is not None and token.revoked_at < token.expires_at:
        return True, token.revoked_at
    return False, token.expires_at
