"""Every write of the health_card app: issuing, reissuing and revoking cards, the QR strings they
carry, clinic API tokens, and card checks (each check is logged for the holder to see)."""

import base64
import datetime
import hashlib
import logging
import math
import secrets
import time
from dataclasses import dataclass, replace

from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Person
from accounts.selectors import identity_match, own_record_refusal
from accounts.services.notices import person_notify
from lookup.models import MedicalFacility
from lookup.signals import bulk_updated
from vssid_portal.cache import forget
from vssid_portal.secret_keys import secret_keys
from vssid_portal.templatetags.vn_format import vn_date

from . import keys, qr
from .models import BeneficiaryGroup, Card, CardCheck, FacilityApiToken
from .models.card import TOKEN_MAX_YEARS, add_years, token_day_end
from .qr import Kind, Purpose, QrError
from .results import EXPIRED_WITHOUT_END_DATE, OUTCOMES, Outcome
from .selectors import (
    CHILD_GROUP,
    IN_USE,
    SharedIdNumber,
    api_token_by_hash,
    card_by_number,
    card_dates_error,
    card_for_check,
    card_state,
    cards_past_end,
    child_card_dates_error,
    child_card_due,
    child_card_valid_to,
    five_year_date_for,
    guardian_name,
    newer_card_number,
)

logger = logging.getLogger(__name__)

# --- cards ----------------------------------------------------------------------------------

def legacy_number(*, group: BeneficiaryGroup, level: int, province_code: str, bhxh_code: str) -> str:
    """The 15-character card number (QĐ 1351/QĐ-BHXH): group + level + province + BHXH code."""
    return f"{group.code}{level}{province_code}{bhxh_code}"


def _officer_may_write(officer, person) -> None:
    """An officer (None: a filing's completion, whose own-case check is the filing's, or the demo data)
    does not issue, reissue nor revoke the card of their own record or of their child's, nor any card
    while their own record is not known (accounts.selectors.own_record_refusal): ValidationError."""
    if officer is not None and (refusal := own_record_refusal(officer, person.pk)):
        raise ValidationError(refusal)


def card_issue(*, person, group: BeneficiaryGroup, facility, agency, valid_from: datetime.date,
               valid_to: datetime.date | None = None, issued_on: datetime.date | None = None,
               living_area: str = "", reason: str = "Cấp mới", notify: bool = True, officer=None) -> Card:
    """A first card for a person without an active one (version 1, or the next after a revoked
    or expired card). Its five-year date comes from the person's BHYT participation; a child's
    (TE) card without an end runs to the last day the law gives it. The holder (and a minor's
    parents) are told, unless `notify` is off (demo data). `officer`, the officer issuing it in the
    admin, issues no card of their own nor of their child's (_officer_may_write)."""
    _officer_may_write(officer, person)
    if error := (card_dates_error(person=person, valid_from=valid_from, valid_to=valid_to)
                 or child_card_dates_error(person=person, group=group, valid_from=valid_from, valid_to=valid_to)):
        raise ValidationError(error)
    if group.pk == CHILD_GROUP and valid_to is None:
        valid_to = child_card_valid_to(person.birth_date)
    with transaction.atomic():
        previous = Card.objects.select_for_update().filter(person=person).order_by("-version").first()
        if previous is not None and previous.status == Card.Status.ACTIVE:
            if card_state(previous) in IN_USE:
                raise ValidationError(gettext("Người này đã có thẻ BHYT đang sử dụng: hãy cấp lại thẻ thay vì cấp mới."))
            # Past its end date, not yet marked by the nightly cards_expire: marked now, as it would be.
            previous.status, previous.changed_at = Card.Status.EXPIRED, timezone.now()
            previous.save(update_fields=["status", "changed_at"])
        card = Card(
            person=person, number=person.bhxh_code, group=group, level=group.level, facility=facility,
            valid_from=valid_from, valid_to=valid_to,
            five_year_date=five_year_date_for(person=person, valid_from=valid_from, valid_to=valid_to),
            issued_on=issued_on or timezone.localdate(), agency=agency, living_area=living_area,
            version=(previous.version + 1) if previous else 1, reason=reason,
            legacy_number=legacy_number(group=group, level=group.level_id, province_code=agency.province.code,
                                        bhxh_code=person.bhxh_code),
        )
        card.full_clean()
        card.save()
        if notify:
            person_notify(person=person, template="bhyt_card_issued", context={"card": card},
                          change_key=f"card-{card.pk}-issued")
    return card


class CardReplacedMeanwhile(ValidationError):
    """The card to reissue is no longer the active one: reissued or replaced by a new card since.
    `card` is the one in use now, for the caller to name."""

    def __init__(self, replacing: Card, card: Card):
        self.card = card
        super().__init__(gettext("Thẻ lần %(replaced)s đã được cấp lại: thẻ đang sử dụng là thẻ lần %(version)s, "
                                 "mã thẻ %(number)s, cấp ngày %(issued_on)s; không cấp lại thêm.") % {
            "replaced": replacing.version, "version": card.version, "number": card.legacy_number,
            "issued_on": vn_date(card.issued_on)})


class CardWouldBeExpired(ValidationError):
    """A reissue whose end date (a child's card ends on the law's last day from the birth date as
    corrected) is already past, or before the card's first day: no card is issued. `card` is the
    one in use, `valid_to` the end the new one would have had."""

    def __init__(self, card: Card, valid_to: datetime.date, today: datetime.date):
        self.card, self.valid_to = card, valid_to
        if valid_to < today:
            message = gettext("Thẻ cấp lại chỉ có giá trị đến hết ngày %(valid_to)s, đã qua: không cấp lại thẻ đã "
                              "hết hạn, hãy cấp thẻ mới theo đối tượng phù hợp.")
        else:
            message = gettext("Thẻ cấp lại chỉ có giá trị đến hết ngày %(valid_to)s, trước ngày bắt đầu có giá trị "
                              "%(valid_from)s: không cấp lại thẻ đã hết hạn, hãy cấp thẻ mới theo đối tượng phù hợp.")
        super().__init__(message % {"valid_to": vn_date(valid_to), "valid_from": vn_date(card.valid_from)})


def reissue_card(person, reason: str, *, agency=None, facility=None, group: BeneficiaryGroup | None = None,
                 valid_to: datetime.date | None | bool = False, replacing: Card | None = None,
                 notify: bool = True, officer=None) -> Card:
    """Reissue the person's card (damaged, lost, changed details): a new version, the old one
    marked replaced so its QR fails as "replaced", the holder (and guardians) notified, unless
    `notify` is off: a filing's completion (BHYT-CL, 608A) tells of the new card in the filing's
    own message (public_services.procedures.base.Procedure.completion_outcome), one set in all.

    `reason` is kept on the card, as written (an officer's words, or a procedure's in Vietnamese),
    and the notice gives it.

    The new card belongs to the agency that reissues it (`agency`: a filing's handling agency,
    whose officers must find the card), by default the old card's. `replacing`: the card an officer
    chose, or a filing was made about; if it is no longer the active one (reissued, or replaced by a
    new card, meanwhile: a second click, a colleague, another filing) nothing is reissued again
    (CardReplacedMeanwhile). Nor is a card that would be expired from the start (CardWouldBeExpired).
    `officer`: as for card_issue."""
    _officer_may_write(officer, person)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Cần ghi lý do cấp lại thẻ."))
    with transaction.atomic():
        # Only the card is locked: not the group, agency and province it is read with, which
        # every other reissue (and any card or filing naming them) would then wait for.
        in_use = (Card.objects.select_for_update(of=("self",)).select_related("group", "agency__province")
                  .filter(person=person, status=Card.Status.ACTIVE))
        old = in_use.first()
        if old is None:
            # Waited behind a writer that replaced the card (another reissue, a filing's completion):
            # the row it locked is no longer active, and the new card, committed after this query
            # began, was not in its snapshot. A second query sees it (READ COMMITTED).
            old = in_use.first()
        if old is None:
            raise ValidationError(_("Người này không có thẻ BHYT đang sử dụng để cấp lại."))
        if replacing is not None and old.pk != replacing.pk:
            raise CardReplacedMeanwhile(replacing, old)
        if card_state(old) == Kind.EXPIRED:  # a reissue keeps the dates: it would be expired too
            raise ValidationError(_("Thẻ BHYT của người này đã hết hạn ngày %(date)s: không cấp lại thẻ đã hết hạn, "
                                    "hãy cấp thẻ mới khi người này tiếp tục tham gia BHYT.")
                                  % {"date": vn_date(old.valid_to)})
        group = group or old.group
        agency = agency or old.agency
        valid_to = old.valid_to if valid_to is False else valid_to
        if group.pk == CHILD_GROUP:  # the law's last day, from the birth date as it stands (a 608A may correct it)
            last_day = child_card_valid_to(person.birth_date)
            valid_to = min(valid_to, last_day) if valid_to else last_day
        today = timezone.localdate()
        if valid_to is not None and (valid_to < today or valid_to < old.valid_from):
            raise CardWouldBeExpired(old, valid_to, today)
        old.status, old.changed_at = Card.Status.REPLACED, timezone.now()
        old.save(update_fields=["status", "changed_at"])
        card = Card(
            person=person, number=person.bhxh_code, group=group, level=group.level,
            facility=facility or old.facility, valid_from=old.valid_from, valid_to=valid_to,
            five_year_date=five_year_date_for(person=person, valid_from=old.valid_from, valid_to=valid_to),
            issued_on=today, agency=agency,
            living_area=old.living_area, version=old.version + 1, reason=reason,
            legacy_number=legacy_number(group=group, level=group.level_id, province_code=agency.province.code,
                                        bhxh_code=person.bhxh_code),
        )
        card.full_clean()
        card.save()
        if notify:
            person_notify(person=person, template="bhyt_card_reissued", context={"card": card, "reason": reason},
                          change_key=f"card-{card.pk}-reissued")
    return card


def card_expire(*, card: Card) -> Card:
    """Mark an active card expired before its printed end date: a birth date corrected since has
    ended a child's (TE) card already (CardWouldBeExpired), and its QR must fail as expired."""
    with transaction.atomic():
        card = Card.objects.select_for_update().get(pk=card.pk)
        if card.status != Card.Status.ACTIVE:
            raise ValidationError(gettext("Chỉ chuyển sang hết hạn được thẻ đang sử dụng."))
        card.status, card.changed_at = Card.Status.EXPIRED, timezone.now()
        card.save(update_fields=["status", "changed_at"])
    return card


def card_revoke(*, card: Card, reason: str, officer=None) -> Card:
    """Revoke an active card: its QR fails as "revoked" from now on, and the holder (and
    guardians) are told why, rather than learning it at a clinic. `officer`: as for card_issue."""
    _officer_may_write(officer, card.person)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Cần ghi lý do thu hồi thẻ."))
    with transaction.atomic():
        card = Card.objects.select_for_update().get(pk=card.pk)
        if card.status != Card.Status.ACTIVE:
            raise ValidationError(_("Chỉ thu hồi được thẻ đang sử dụng."))
        card.status, card.changed_at = Card.Status.REVOKED, timezone.now()
        card.reason = reason[:300]
        card.save(update_fields=["status", "changed_at", "reason"])
        person_notify(person=card.person, template="bhyt_card_revoked", context={"card": card, "reason": card.reason},
                      change_key=f"card-{card.pk}-revoked")
    return card


EXPIRE_BATCH = 1000
# A run of the nightly task starts no batch after this many seconds, well within the task's soft
# time limit (CELERY_TASK_SOFT_TIME_LIMIT), and queues the next run (health_card.tasks.expire_cards).
EXPIRE_RUN_SECONDS = 45
# A card that ended longer ago than this (the task did not run, cards loaded from an old registry)
# is marked expired without a notice: its holder has long known, or has a new card on paper.
EXPIRY_NOTICE_DAYS = 7


def cards_expire(*, today: datetime.date | None = None, seconds: float | None = None) -> int:
    """Mark expired every active card past its end date (the nightly beat task), so officers'
    lists and filters say what a check already answers, and tell the holder (and a minor's
    parents) of a card that has just ended; returns how many. A batch at a time: the cards of 31/12
    are many, and each update also moves their holders' page versions (database triggers), which
    must not stay locked together. With `seconds`, no batch is started after that time: the rest
    is left for the next run (`selectors.cards_past_end`). Run again, it finds nothing left to do and
    tells nobody twice. Only cards still active are reached: one ended before its end date (card_expire,
    revoked, replaced) never is, so the end date its notice names is the end its pages and the verify API
    show (Card.ended_on)."""
    today = today or timezone.localdate()
    stop_at = time.monotonic() + seconds if seconds is not None else None
    due = cards_past_end(today=today)
    expired = 0
    # Cards are taken and locked in the order of their keys: two runs at once (the beat's and a
    # re-delivered one), or a run and an officer, never wait on each other in a circle. The cards only,
    # not their holders read with them: the update's trigger locks the holders in their own key order,
    # as every writer of several people does, where locked with the cards they came in the cards' order.
    # The holders are read once the update locked them, in one query: read with the cards, a holder
    # whose card the run waited for is the row before the wait (PostgreSQL reads again only the rows it
    # locks), and a name corrected meanwhile (a 608A's completion) would be told by the old one.
    while ids := list(due.order_by("pk").values_list("pk", flat=True)[:EXPIRE_BATCH]):
        with transaction.atomic():
            cards = list(due.filter(pk__in=ids).order_by("pk").select_for_update(of=("self",)))
            expired += due.filter(pk__in=[card.pk for card in cards]).update(
                status=Card.Status.EXPIRED, changed_at=timezone.now())
            told = [card for card in cards if card.valid_to >= today - datetime.timedelta(days=EXPIRY_NOTICE_DAYS)]
            holders = Person.objects.in_bulk({card.person_id for card in told})
            for card in told:
                card.person = holders[card.person_id]
                _expiry_notify(card, today)
        if stop_at is not None and time.monotonic() >= stop_at:
            break
    return expired


def _expiry_notify(card: Card, today: datetime.date) -> None:
    """Tell of one card's expiry on the run's day `today` (a run queued again for its day may start
    after midnight: a child's last day of a TE card is judged on the day the run is for); a notice that
    fails (a broken record) is logged and leaves the card expired and the other cards of the batch to go on."""
    try:
        with transaction.atomic():
            person_notify(person=card.person, template="bhyt_card_expired",
                          context={"card": card, "child_card": child_card_due(person=card.person, on=today)},
                          change_key=f"card-{card.pk}-expired")
    except SoftTimeLimitExceeded:  # the task is told to stop: not a broken record
        raise
    except Exception:
        logger.exception("card %s: expiry notice not written", card.pk)


# --- the QR string --------------------------------------------------------------------------

def card_fields(card: Card, *, purpose: Purpose) -> qr.CardFields:
    person = card.person
    return qr.CardFields(
        number=card.number,
        full_name=person.full_name,
        birth_date=person.birth_date,
        birth_year_only=person.birth_year_only,
        sex=person.sex,
        facility_code=card.facility.code,
        valid_from=card.valid_from,
        valid_to=card.valid_to,
        issued_on=card.issued_on,
        management_code=qr.management_code(purpose=purpose, version=card.version, bhxh_code=card.number),
        guardian=guardian_name(person, first_guardian=getattr(card, "first_guardian_name", None)),  # read by card_of
        five_year_date=card.five_year_date,
        living_area={"K1": "5", "K2": "6", "K3": "7"}.get(card.living_area, "4"),
        level=str(card.level_id),
        issuing_place=card.agency.name,
    )


def card_qr(card: Card, *, purpose: Purpose, issued_at: int | None = None) -> str:
    """The signed QR string of a card: on screen (good for 10 minutes) or printed."""
    return qr.build(card_fields(card, purpose=purpose), issued_at=int(time.time()) if issued_at is None else issued_at)


# --- API tokens -----------------------------------------------------------------------------

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


# --- checks ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckResult:
    kind: Kind
    card: Card | None = None  # shown to the one who checked
    detail: str | Promise = ""  # shown on the clinic page, in its language
    payload: qr.Payload | None = None
    # The scanned string itself is at fault (unreadable, forged, an on-screen QR too old): the
    # reason may be told to anyone holding it, unlike what only the registry knows (revoked…).
    qr_fault: bool = False
    # An unsigned QR compared with the registry: no signature vouches for what it says, and the
    # answer says so (results.UNSIGNED_NOTE).
    unsigned: bool = False
    # The card a check named but does not show (a wrong name or birth date): logged all the same,
    # so its holder sees the attempt in "Ai đã xem thẻ của tôi" and officers in the check list.
    subject: Card | None = None
    # A citizen ID card's QR, checked by its CCCD number, name and birth date as if typed.
    id_card: qr.IdCard | None = None
    # An expired card whose holder has been issued a card in use since: its number (15-character
    # form), for the clinic to be told to use the new card (results.NEWER_CARD_NOTE, maTheMoi).
    newer_card: str | None = None
    # A CCCD shared by several records, none of whom has the name and birth date given.
    missed: bool = False

    @property
    def outcome(self) -> Outcome:
        return OUTCOMES[self.kind]

    @property
    def explanation(self) -> str | Promise:
        """The outcome's words, but for a card marked expired before or without an end date: it is
        past none."""
        if self.kind == Kind.EXPIRED and self.card is not None and not self.card.past_end_date:
            return EXPIRED_WITHOUT_END_DATE
        return self.outcome.explanation

    @property
    def valid(self) -> bool:
        return self.kind == Kind.VALID

    @property
    def wrong_guess(self) -> bool:
        """A name or birth date that is not the holder's: counted against the caller, who could
        otherwise try the birth dates of a known card number and name until one shows the card."""
        return self.kind in (Kind.WRONG_NAME, Kind.WRONG_BIRTH_DATE) or self.missed


def _matches(person, *, full_name: str, birth_date: datetime.date | None, birth_year: int | None) -> Kind | None:
    """What a typed name and birth date get wrong about `person` (the holder of a card), or None: the
    card shows the year only where the registry holds only the year, which is then what is compared
    (accounts.selectors.identity_match)."""
    match = identity_match(person, full_name=full_name, birth_date=birth_date, birth_year=birth_year)
    if not match.name:
        return Kind.WRONG_NAME
    if not match.birth_date:
        return Kind.WRONG_BIRTH_DATE
    return None


def _typed(number: str, full_name: str, birth_date, birth_year, today, issued_on=None) -> CheckResult:
    typed = {"full_name": full_name, "birth_date": birth_date, "birth_year": birth_year}
    try:
        # A CCCD shared by several records: the card of the one whose name and birth date were typed.
        card = card_by_number(number, issued_on=issued_on, holder=lambda person: _matches(person, **typed) is None)
    except SharedIdNumber as shared:  # none or several of them: ask for the 10-digit code
        # None of them: a wrong guess all the same (one right one would show the card), counted as one.
        return CheckResult(Kind.SHARED_ID, missed=not shared.matched)
    if card is None:
        return CheckResult(Kind.NOT_FOUND)
    mismatch = _matches(card.person, **typed)
    if mismatch:
        return CheckResult(mismatch, subject=card)  # not shown to someone who does not know its holder
    return CheckResult(card_state(card, today=today), card)


def _payload(text: bytes | str, now: datetime.datetime, *, registry: bool) -> CheckResult:
    """`registry`: an unsigned QR may be compared with the registry (clinics only: for anyone else
    it would answer "does this code go with this name and birth date?")."""
    try:
        payload = qr.parse(text)
    except QrError as error:
        return CheckResult(error.kind, detail=error.detail, qr_fault=True)
    today = timezone.localdate(now)
    if isinstance(payload, qr.IdCard):
        if not registry:  # as an unsigned QR: the public page does not compare it with the registry
            return CheckResult(Kind.ID_CARD, qr_fault=True)
        result = _typed(payload.number, payload.full_name, payload.birth_date, payload.birth_date.year, today)
        return replace(result, detail=_("số CCCD, họ tên và ngày sinh đọc từ mã QR trên thẻ CCCD"), id_card=payload)
    if payload.signature is None:
        try:
            qr.check_unsigned(payload)
        except QrError as error:
            return CheckResult(error.kind, detail=error.detail, payload=payload, qr_fault=True)
        if not registry:
            return CheckResult(Kind.UNSIGNED, payload=payload)
        # A card printed before the portal signed its QRs: compared with the registry as if typed,
        # in the version in force on the QR's issue date (an older card's QR reads "replaced").
        # A card the portal issued after it began signing was printed with a signed QR: unsigned, forged.
        fields = payload.fields
        result = _typed(fields.number, fields.full_name, fields.birth_date, fields.birth_year, today,
                        issued_on=fields.issued_on)
        card, started = result.card or result.subject, keys.signing_started()
        if card is not None and started is not None and card.issued_on >= started:
            return CheckResult(Kind.FORGED, detail=_("thẻ được in với mã QR có chữ ký"), payload=payload, qr_fault=True)
        return replace(result, payload=payload, unsigned=True)
    try:
        qr.verify_signature(payload, now)
    except QrError as error:
        return CheckResult(error.kind, detail=error.detail, payload=payload, qr_fault=True)
    card = card_for_check(number=payload.fields.number, version=payload.version)
    if card is None:
        return CheckResult(Kind.NOT_FOUND, detail=_("thẻ không còn trong hệ thống"), payload=payload)
    state = card_state(card, today=today)
    # A card that has ended is the answer whatever the QR's age: a fresh QR would not help, and the
    # card page of such a card has none to open.
    if state in (Kind.REVOKED, Kind.REPLACED, Kind.EXPIRED):
        return CheckResult(state, card, payload=payload)
    try:
        qr.check_fresh(payload, now)
    except QrError as error:
        return CheckResult(error.kind, card, error.detail, payload, qr_fault=True)
    return CheckResult(state, card, payload=payload)


def card_check(*, channel: str, user=None, token: FacilityApiToken | None = None, payload: bytes | str | None = None,
               number: str = "", full_name: str = "", birth_date: datetime.date | None = None,
               birth_year: int | None = None, now: datetime.datetime | None = None) -> CheckResult:
    """Check a scanned QR string, or a typed card number + name + birth date, and log the check. A
    citizen ID card's QR gives the CCCD number, name and birth date of a typed check."""
    now = now or timezone.now()
    if payload is not None:
        result = _payload(payload, now, registry=channel != CardCheck.Channel.PUBLIC)
    else:
        result = _typed(number, full_name, birth_date, birth_year or (birth_date.year if birth_date else None),
                        timezone.localdate(now))
    if result.kind == Kind.EXPIRED and result.card is not None:
        result = replace(result, newer_card=newer_card_number(card=result.card, today=timezone.localdate(now)))
    if result.id_card is not None and channel == CardCheck.Channel.QR:
        channel = CardCheck.Channel.TYPED  # on the clinic page, what the QR gave is what would have been typed
    logged_card = result.card or result.subject
    user = user if user is not None and user.is_authenticated else None
    CardCheck.objects.create(
        card=logged_card, person_id=logged_card.person_id if logged_card else None, checked_by=user,
        signed_in=user is not None, facility_id=(token.facility_id if token else getattr(user, "facility_id", None)), token=token,
        channel=channel, result=str(result.kind),
    )
    return result
