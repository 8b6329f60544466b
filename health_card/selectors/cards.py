"""A person's card and what can be done with it today: which card a page shows, its state as a clinic check
answers, whether it shows a QR or prints, the card in use that a new card may not be issued beside and a
reissue replaces, the name of a young child's parent it carries, the holder's portrait, and the cards an
officer may see."""

import datetime

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Guardianship, Registration
from lookup.selectors import within_officer_scope
from vssid_portal.dates import age_on

from ..models import Card
from ..qr import Kind

CARD_RELATED = ("person", "group", "level", "facility", "facility__province", "agency")


def card_for(*, person) -> Card | None:
    """The person's card to show: the active one, else the latest version."""
    if person is None:
        return None
    cards = Card.objects.filter(person=person).select_related(*CARD_RELATED)
    return cards.filter(status=Card.Status.ACTIVE).first() or cards.order_by("-version").first()


def benefit_percents(*, persons) -> dict[int, int]:
    """The share of covered costs the fund pays (the benefit level's percent) by person id, read from
    the card card_for shows each of `persons`: the active one, else the latest version. A person
    without a card is left out."""
    shown: dict[int, Card] = {}
    for card in Card.objects.filter(person__in=persons).select_related("level").order_by("person_id", "-version"):
        if card.person_id not in shown or (card.status == Card.Status.ACTIVE
                                           and shown[card.person_id].status != Card.Status.ACTIVE):
            shown[card.person_id] = card
    return {person_id: card.level.percent for person_id, card in shown.items()}


def card_of(*, pk: int, person) -> Card | None:
    """A card of `person` by its id, None for anybody else's (a 404 to the view). Read in one query
    with what its QR and printed card carry: its person, group, level, facility and agency, and as
    `first_guardian_name` the name guardian_name would look up for a young child's card ("" when no
    parent or guardian is linked), so that neither the QR nor its cache key costs another query."""
    first_guardian = (Guardianship.objects.filter(child_id=OuterRef("person_id")).order_by("pk")
                      .values("parent__person__full_name")[:1])
    return (Card.objects.filter(pk=pk, person=person).select_related(*CARD_RELATED)
            .annotate(first_guardian_name=Coalesce(Subquery(first_guardian), Value(""))).first())


def card_version_of(*, person, version: int) -> Card | None:
    """One version of the person's card: the one a filing was made about."""
    return Card.objects.filter(person=person, version=version).first()


def card_state(card: Card, *, today: datetime.date | None = None) -> Kind:
    """What a card is on `today` (by default the portal's today), as a clinic check answers: its
    status, and its dates for an active one. The status alone lags: an active card is expired the
    day after its end date whether or not the nightly `cards_expire` has marked it yet."""
    today = today or timezone.localdate()
    if card.status == Card.Status.REVOKED:
        return Kind.REVOKED
    if card.status == Card.Status.REPLACED:
        return Kind.REPLACED
    if card.status == Card.Status.EXPIRED or (card.valid_to is not None and card.valid_to < today):
        return Kind.EXPIRED
    if card.valid_from > today:
        return Kind.NOT_YET_VALID
    return Kind.VALID


# The states of a card in use: one still to begin counts, as it can be printed and reissued before
# its first day (it prints that day, and a clinic accepts it from then).
IN_USE = (Kind.VALID, Kind.NOT_YET_VALID)


def shows_qr(card: Card) -> bool:
    """An on-screen QR only for a card a clinic accepts today: it is good for 10 minutes, not till
    the card's first day."""
    return card_state(card) == Kind.VALID


def printable(card: Card) -> bool:
    """A printed card for a card in use, one still to begin too (it prints its first day); never
    for an expired card, replaced or revoked one: paper that looks valid would mislead."""
    return card_state(card) in IN_USE


def cards_past_end(*, today: datetime.date):
    """Active cards past their end date: the ones the nightly expiry marks (services.cards_expire)."""
    return Card.objects.filter(status=Card.Status.ACTIVE, valid_to__lt=today)


def card_in_use(*, person, today: datetime.date | None = None) -> Card | None:
    """The person's active card unless it is past its end date: what a new card may not be issued
    beside, and what a reissue replaces."""
    card = Card.objects.filter(person=person, status=Card.Status.ACTIVE).first()
    return card if card is not None and card_state(card, today=today) in IN_USE else None


# A child's card names a parent or guardian (QR field 10) until the child's sixth birthday, as the
# cards of children under six (TK1-TS) do.
GUARDIAN_NAMED_UNDER = 6


def guardian_name(person, *, first_guardian: str | None = None) -> str:
    """The name the card of a child under six carries: the first parent or guardian whose account
    was linked to the child (accounts.Guardianship); "" for anyone else. `first_guardian` is that
    name when the caller read it already (card_of), so that it is not looked up again."""
    if age_on(person.birth_date, timezone.localdate()) >= GUARDIAN_NAMED_UNDER:
        return ""
    if first_guardian is not None:
        return first_guardian
    guardianship = person.guardians.select_related("parent__person").order_by("pk").first()
    return guardianship.parent.person.full_name if guardianship and guardianship.parent.person else ""


def portrait_for(*, person) -> str:
    """Name in private storage of the person's portrait from their latest approved registration,
    or "" (the card then shows a neutral placeholder)."""
    return (Registration.objects.filter(person=person, status=Registration.Status.APPROVED)
            .exclude(portrait="").order_by("-decided_at", "-submitted_at")
            .values_list("portrait", flat=True).first()) or ""


def cards_visible_to(user):
    """Cards an officer may see: those issued by their agency and the agencies below it."""
    return within_officer_scope(Card.objects.select_related(*CARD_RELATED), user)


def replacing_card_number(*, person) -> str | None:
    """The number (15-character form) of the person's card in use: what a check of a card it
    replaced names as the new one (maTheMoi). An active card past its end date, which the nightly
    expiry has not marked yet, is not in use: none is named, as `newer_card_number` names none."""
    card = card_in_use(person=person)
    return card.legacy_number if card is not None else None


def newer_card_number(*, card: Card, today: datetime.date | None = None) -> str | None:
    """The number (15-character form) of a card in use issued to the holder after `card`: what a
    check of an expired card names as the new one (maTheMoi), as it does for a replaced card."""
    newer = (Card.objects.filter(person_id=card.person_id, status=Card.Status.ACTIVE, version__gt=card.version)
             .only("status", "valid_from", "valid_to", "legacy_number").first())
    return newer.legacy_number if newer is not None and card_state(newer, today=today) in IN_USE else None
