"""Card checks: a scanned QR string (the card's own, signed or printed before signing began, or a citizen ID
card's) or a typed number, name and birth date, answered as the clinic page, the API and the public page show
it, and every check logged for the holder to see ("Ai đã xem thẻ của tôi")."""

import datetime
from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.selectors import identity_match

from .. import keys, qr
from ..models import Card, CardCheck, FacilityApiToken
from ..qr import Kind, QrError
from ..results import EXPIRED_WITHOUT_END_DATE, OUTCOMES, Outcome
from ..selectors import (
    SharedIdNumber,
    card_by_number,
    card_for_check,
    card_state,
    newer_card_number,
)


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
