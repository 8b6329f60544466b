"""Officers in the card admin: only their agencies' cards, cards only for people they manage,
reissue from the list, API tokens shown once and stored hashed; clinic staff see no cards."""

import re

import pytest

from accounts.models import Person
from health_card.models import BeneficiaryGroup, Card, FacilityApiToken
from health_card.services import api_token_authenticate
from lookup.models import Agency
from tests.accounts.helpers import make_person, officer

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue, logged_in

pytestmark = pytest.mark.django_db

DISTRICT, PROVINCE = "Cán bộ BHXH cơ sở", "Cán bộ BHXH tỉnh"
CARDS = "/quan-tri/health_card/card/"


@pytest.fixture
def other_agency_card(reference_data, other_facility):
    person = make_person("7908888888", "Lê Thị Hoa", sex=2, id_number="079190099999")
    card = issue(person, other_facility, group="GD")
    Card.objects.filter(pk=card.pk).update(agency=Agency.objects.get(code="07903"))
    return Card.objects.get(pk=card.pk)


def test_district_officer_sees_only_their_agencys_cards(card, other_agency_card):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    html = client.get(CARDS).content.decode()
    assert card.legacy_number in html and other_agency_card.legacy_number not in html
    assert client.get(f"{CARDS}{other_agency_card.pk}/change/").status_code == 302  # "not found" → back to list
    province = logged_in(officer("canbo079", "079", PROVINCE)).get(CARDS).content.decode()
    assert card.legacy_number in province and other_agency_card.legacy_number in province


def test_a_card_is_added_only_for_a_person_the_officer_manages(facility, reference_data):
    managed = make_person("7901000011", "Phạm Văn Nam", id_number="079088000011")
    foreign = make_person("7901000012", "Đỗ Thị Lan", sex=2, id_number="079188000012")
    Person.objects.filter(pk=managed.pk).update(agency=Agency.objects.get(code="07901"))
    Person.objects.filter(pk=foreign.pk).update(agency=Agency.objects.get(code="07903"))
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    group = BeneficiaryGroup.objects.get(code="DN")
    form = {"group": group.pk, "facility": facility.pk, "agency": Agency.objects.get(code="07901").pk,
            "valid_from": "01/01/2026", "valid_to": "", "five_year_date": "", "living_area": ""}
    response = client.post(f"{CARDS}add/", {**form, "person": foreign.pk})
    assert response.status_code == 200 and not Card.objects.filter(person=foreign).exists()  # a form error, no card
    response = client.post(f"{CARDS}add/", {**form, "person": managed.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    card = Card.objects.get(person=managed)
    assert card.status == Card.Status.ACTIVE and card.version == 1


def test_reissue_from_the_list_replaces_the_card(card):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    client.post(CARDS, {"action": "reissue", "_selected_action": [card.pk]})
    card.refresh_from_db()
    assert card.status == Card.Status.REPLACED
    assert Card.objects.get(person=card.person, status=Card.Status.ACTIVE).version == card.version + 1


def test_api_token_is_shown_once_and_stored_hashed(facility):
    client = logged_in(officer("canbo079", "079", PROVINCE))
    response = client.post("/quan-tri/health_card/facilityapitoken/add/", {"facility": facility.pk, "name": "HIS"},
                           follow=True)
    raw = re.search(r"<code>([^<]+)</code>", response.content.decode()).group(1)
    token = FacilityApiToken.objects.get()
    assert raw not in str(FacilityApiToken.objects.values().get())  # only a hash is kept
    assert api_token_authenticate(raw) == token
    assert raw not in client.get(f"/quan-tri/health_card/facilityapitoken/{token.pk}/change/").content.decode()


def test_clinic_staff_see_no_cards_and_no_tokens(card, clinic_user):
    client = logged_in(clinic_user)
    assert client.get(CARDS).status_code == 403
    assert client.get("/quan-tri/health_card/facilityapitoken/").status_code == 403
