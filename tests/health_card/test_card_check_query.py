"""The card check's hand-written read gives the objects Django's select_related would."""

import pytest

from health_card.models import Card
from health_card.selectors import CHECK_RELATED, card_for_check

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


def values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_check_reads_every_field_of_the_card_and_its_relations_as_the_orm_does(card, django_assert_num_queries):
    orm = Card.objects.select_related(*CHECK_RELATED).get(pk=card.pk)
    with django_assert_num_queries(1):
        read = card_for_check(number=card.number, version=card.version)
        assert values(read) == values(orm)
        for name in CHECK_RELATED:
            related = getattr(read, name)
            assert type(related) is type(getattr(orm, name))
            assert values(related) == values(getattr(orm, name)), name
    assert not read._state.adding and read._state.db == orm._state.db
    assert read.person._state.db == orm._state.db
    assert type(read.valid_from) is type(orm.valid_from) and read.created_at.tzinfo is not None
    assert type(read.person.birth_date) is type(orm.person.birth_date)


def test_the_check_finds_only_the_number_and_version_asked(card, stranger):
    assert card_for_check(number=card.number, version=card.version + 1) is None
    assert card_for_check(number="7900000000", version=card.version) is None
    other = Card.objects.get(person=stranger.person)
    assert card_for_check(number=other.number, version=other.version).person == stranger.person
