"""The QR string a card carries, signed (health_card.qr): on screen, good for 10 minutes, or printed."""

import time

from .. import qr
from ..models import Card
from ..qr import Purpose
from ..selectors import guardian_name


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
