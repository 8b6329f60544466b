"""The edges of the dates a new card may carry (selectors.card_dates): a card may begin on its holder's birth
day and at most a year ahead, end at most ten years after its start, and a child's (TE) card may begin and
end on the law's last day; one day past any of them is refused. A card is valid from its first day to the
end of its last one."""

import datetime

import pytest
from django.utils import timezone

from health_card.beneficiary_data import load
from health_card.models import BeneficiaryGroup, BenefitLevel, Card
from health_card.models.card import add_years
from health_card.qr import Kind
from health_card.selectors import (
    card_dates_error,
    card_state,
    child_card_dates_error,
    child_card_due,
    child_card_valid_to,
)
from tests.accounts.helpers import make_person

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_a_card_may_begin_on_its_holders_birth_day_and_not_the_day_before(reference_data):
    person = make_person(birth=datetime.date(2001, 7, 9))
    assert card_dates_error(person=person, valid_from=person.birth_date, valid_to=None) is None
    assert "valid_from" in card_dates_error(person=person, valid_from=person.birth_date - DAY, valid_to=None)


def test_a_card_may_begin_a_year_from_today_and_not_a_day_later(reference_data):
    person = make_person()
    latest = add_years(timezone.localdate(), 1)
    assert card_dates_error(person=person, valid_from=latest, valid_to=None) is None
    assert "valid_from" in card_dates_error(person=person, valid_from=latest + DAY, valid_to=None)


def test_a_card_may_end_ten_years_after_its_start_and_not_a_day_later(reference_data):
    person = make_person()
    start = datetime.date(2025, 1, 1)
    assert card_dates_error(person=person, valid_from=start, valid_to=add_years(start, 10)) is None
    assert "valid_to" in card_dates_error(person=person, valid_from=start, valid_to=add_years(start, 10) + DAY)


def test_a_childs_card_may_begin_and_end_on_the_laws_last_day_and_not_after_it(reference_data):
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=datetime.date(2022, 11, 15), id_number="079222012345")
    load(BenefitLevel, BeneficiaryGroup)
    te = BeneficiaryGroup.objects.get(code="TE")
    last_day = child_card_valid_to(child.birth_date)
    assert child_card_dates_error(person=child, group=te, valid_from=last_day, valid_to=last_day) is None
    assert "group" in child_card_dates_error(person=child, group=te, valid_from=last_day + DAY, valid_to=None)
    assert "valid_to" in child_card_dates_error(person=child, group=te, valid_from=child.birth_date,
                                                valid_to=last_day + DAY)


def test_a_card_is_valid_on_its_first_and_last_days_only(card):
    first, last = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    Card.objects.filter(pk=card.pk).update(valid_from=first, valid_to=last)
    card.refresh_from_db()
    assert card_state(card, today=first - DAY) == Kind.NOT_YET_VALID
    assert card_state(card, today=first) == Kind.VALID
    assert card_state(card, today=last) == Kind.VALID
    assert card_state(card, today=last + DAY) == Kind.EXPIRED


def test_a_child_is_due_a_childs_card_to_its_last_day_and_not_the_day_after(reference_data):
    """What the expiry notice tells a parent (where the free card of a child under six is had) rests on it."""
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=datetime.date(2022, 11, 15), id_number="079222012345")
    last_day = child_card_valid_to(child.birth_date)
    assert child_card_due(person=child, on=last_day)
    assert not child_card_due(person=child, on=last_day + DAY)
