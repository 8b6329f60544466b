"""An officer does not issue, reissue nor revoke the BHYT card of their own record nor of a child a login
of theirs is (or was) guardian of: the card's page says why, the add form, the list's actions and the
services refuse them; a stranger's card they still reissue. An officer whose own record is not known
writes no card. A filing's completion, whose own-case check is the filing's, still reissues."""

import pytest
from django.core.exceptions import ValidationError

from health_card.models import BeneficiaryGroup, Card
from health_card.services import card_issue, card_revoke, reissue_card
from lookup.models import Agency
from tests.accounts.helpers import (
    OWN_RECORD_SAID,
    RECORD_UNKNOWN_SAID,
    officer,
    officer_family_and_stranger,
)

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue, logged_in

pytestmark = pytest.mark.django_db

DISTRICT = "Cán bộ BHXH cơ sở"
CARDS = "/quan-tri/health_card/card/"
OWN, UNKNOWN = OWN_RECORD_SAID, RECORD_UNKNOWN_SAID


@pytest.fixture
def family(reference_data, facility):
    staff, people = officer_family_and_stranger("07901", DISTRICT)
    return staff, people, {whose: issue(person, facility) for whose, person in people.items()}


def active(person) -> Card:
    return Card.objects.get(person=person, status=Card.Status.ACTIVE)


@pytest.mark.parametrize("action", ["reissue", "revoke"])
def test_the_list_actions_leave_the_officers_own_and_childs_cards_saying_why_and_take_a_strangers(family, action):
    staff, people, cards = family
    client = logged_in(staff)
    selected = [card.pk for card in cards.values()]
    page = client.post(CARDS, {"action": action, "_selected_action": selected}).content.decode()
    assert OWN in page
    assert cards["stranger"].legacy_number in page
    response = client.post(CARDS, {"action": action, "_selected_action": selected, "confirm": "1", "reason": "khac",
                                   "details": "Theo đề nghị của người tham gia"}, follow=True)
    assert OWN in response.content.decode()
    for whose in ("own", "child"):
        assert active(people[whose]) == cards[whose] and cards[whose].version == 1
    assert Card.objects.get(pk=cards["stranger"].pk).status != Card.Status.ACTIVE


@pytest.mark.parametrize("whose", ["own", "child"])
def test_the_officers_own_or_childs_card_page_says_why_it_is_only_shown(family, whose):
    staff, _people, cards = family
    html = logged_in(staff).get(f"{CARDS}{cards[whose].pk}/change/").content.decode()
    assert OWN in html and 'name="_save"' not in html


def test_the_add_form_refuses_a_card_for_the_officers_child(family, facility):
    staff, people, cards = family
    card_revoke(card=cards["child"], reason="Gian lận trong việc cấp thẻ BHYT")
    form = {"person": people["child"].pk, "group": BeneficiaryGroup.objects.get(code="DN").pk,
            "facility": facility.pk, "agency": Agency.objects.get(code="07901").pk, "valid_from": "01/01/2026",
            "valid_to": "", "five_year_date": "", "living_area": ""}
    response = logged_in(staff).post(f"{CARDS}add/", form)
    assert response.status_code == 200 and OWN in response.content.decode()
    assert not Card.objects.filter(person=people["child"], status=Card.Status.ACTIVE).exists()


def test_the_services_refuse_the_officer_their_own_and_childs_cards_and_a_filings_completion_reissues(
        family, facility):
    staff, people, cards = family
    for whose in ("own", "child"):
        with pytest.raises(ValidationError, match=OWN):
            reissue_card(people[whose], "Cấp lại do mất thẻ", replacing=cards[whose], officer=staff)
        with pytest.raises(ValidationError, match=OWN):
            card_revoke(card=cards[whose], reason="Gian lận trong việc cấp thẻ BHYT", officer=staff)
        assert active(people[whose]) == cards[whose]
    card_revoke(card=cards["child"], reason="Gian lận trong việc cấp thẻ BHYT")  # no officer: not an admin's
    with pytest.raises(ValidationError, match=OWN):
        card_issue(person=people["child"], group=BeneficiaryGroup.objects.get(code="DN"), facility=facility,
                   agency=Agency.objects.get(code="07901"), valid_from=cards["child"].valid_from, officer=staff)
    assert reissue_card(people["own"], "Cấp lại do mất thẻ", replacing=cards["own"]).version == 2


def test_an_officer_whose_own_record_is_not_known_reissues_no_card(family):
    _staff, people, cards = family
    client = logged_in(officer("canbo07901b", "07901", DISTRICT, own_record=False))
    response = client.post(CARDS, {"action": "reissue", "_selected_action": [cards["stranger"].pk], "confirm": "1",
                                   "reason": "mat"}, follow=True)
    assert UNKNOWN in response.content.decode()
    assert active(people["stranger"]) == cards["stranger"]
