"""The cards themselves: issued, reissued, revoked or marked expired before their end by an officer or a
filing's completion, and the nightly expiry of the cards past their end date; each tells the holder (and a
minor's parents)."""

import datetime
import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Person
from accounts.selectors import own_record_refusal
from accounts.services.notices import person_notify
from vssid_portal.templatetags.vn_format import vn_date

from ..models import BeneficiaryGroup, Card
from ..qr import Kind
from ..selectors import (
    CHILD_GROUP,
    IN_USE,
    card_dates_error,
    card_state,
    cards_past_end,
    child_card_dates_error,
    child_card_due,
    child_card_valid_to,
    five_year_date_for,
)

logger = logging.getLogger(__name__)


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
