"""The reissue and revoke reason page reads as many queries for fifteen selected cards as for one,
and builds the list's filters once: the action reuses the rows the change list already filtered."""

import pytest

from accounts.models import Person, User
from lookup.models import Agency
from tests.accounts.helpers import make_person, officer

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue, logged_in

pytestmark = pytest.mark.django_db

CARDS = "/quan-tri/health_card/card/"
# the officer's agency and its districts (2), the level filter's choices and the agency filter's (2), the
# list's count (1), the selected active cards (1), the logins told of their holders (2)
QUERIES = 8


def _card(n: int, facility):
    """The n-th card of a person 07901 manages, every other one held by a person with a login."""
    person = make_person(f"7901{n:06d}", f"Nguyễn Văn Số {n}", id_number=f"079088{n:06d}")
    Person.objects.filter(pk=person.pk).update(agency=Agency.objects.get(code="07901"))
    if n % 2:
        User.objects.create_user(username=person.bhxh_code, password="x-Strong-Pass-2026", person=person)
    return issue(Person.objects.get(pk=person.pk), facility)


@pytest.mark.parametrize("action", ["reissue", "revoke"])
def test_the_reason_page_reads_as_many_queries_for_fifteen_cards_as_for_one(
        facility, reference_data, action, django_assert_num_queries):
    client = logged_in(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    client.get(CARDS)  # warm: the session, the caches
    cards = [_card(1, facility)]

    def page() -> int:
        with django_assert_num_queries(QUERIES) as captured:
            response = client.post(CARDS, {"action": action, "_selected_action": [card.pk for card in cards]})
        assert response.status_code == 200 and all(card.legacy_number in response.content.decode() for card in cards)
        return len(captured)

    one = page()
    cards += [_card(n, facility) for n in range(2, 16)]
    assert page() == one
