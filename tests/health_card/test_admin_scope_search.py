"""Cards and visits in the officers' admin: a holder's or patient's name is found with or without
its diacritics, in any case and with punctuation around it (FoldedKeySearch), codes as typed; a
card, card check, visit or clinic API token outside the officer's scope is a 404 on its object
pages (NotFoundOutsideScope) while the officers whose scope holds it open it."""

import unicodedata

import pytest

from health_card.models import Card, CardCheck
from health_card.services import api_token_create
from lookup.models import Agency
from tests.accounts.helpers import make_person, managed_person, officer
from tests.conftest import assert_search_reads_indexes, same_queries_whatever_found

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue, logged_in
from .test_visits import visit

pytestmark = pytest.mark.django_db

DISTRICT, PROVINCE = "Cán bộ BHXH cơ sở", "Cán bộ BHXH tỉnh"
CARDS = "/quan-tri/health_card/card/"
CHECKS = "/quan-tri/health_card/cardcheck/"
VISITS = "/quan-tri/health_card/visit/"
TOKENS = "/quan-tri/health_card/facilityapitoken/"
CODES = ("7901000001", "7901000002", "7903000003")
NAME_QUERIES = ["Hoàng Trọng Cường", "HOÀNG TRỌNG CƯỜNG", "hoang trong cuong", "Cường,", "(Hoàng)",
                '"Trọng Cường"', unicodedata.normalize("NFD", "Hoàng Trọng Cường")]


@pytest.fixture
def people(reference_data):
    return {"cuong": managed_person("7901000001", "Hoàng Trọng Cường", "07901", "079088012345"),
            "lan": managed_person("7901000002", "Trần Thị Lan", "07901", "079188012346", sex=2),
            "namesake": managed_person("7903000003", "Hoàng Trọng Cường", "07903", "079088012347")}  # Thủ Đức's


@pytest.fixture
def cards(people, facility):
    issued = {key: issue(person, facility) for key, person in people.items()}
    Card.objects.filter(pk=issued["namesake"].pk).update(agency=Agency.objects.get(code="07903"))
    return {key: Card.objects.get(pk=card.pk) for key, card in issued.items()}


@pytest.fixture
def visits(people):
    return {"cuong": visit(people["cuong"], facility="79001", reference="LK-CUONG"),
            "lan": visit(people["lan"], facility="79001", reference="LK-LAN"),
            "namesake": visit(people["namesake"], facility="01001", reference="LK-THUDUC")}  # treated in Hà Nội


def listed(client, url: str, query: str) -> set[str]:
    """The BHXH codes of the rows the list shows for this search (the search box itself not counted)."""
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('<table id="result_list">', 1)[1].split("</table>", 1)[0] if "result_list" in html else ""
    return {code for code in CODES if code in table}


# --- Search -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", NAME_QUERIES)
def test_a_card_holder_is_found_with_or_without_diacritics(cards, query):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    assert listed(client, CARDS, query) == {"7901000001"}  # not the namesake's card of 07903


def test_cards_are_still_found_by_number_and_code(cards):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    card = cards["lan"]
    assert listed(client, CARDS, card.legacy_number) == {"7901000002"}
    assert listed(client, CARDS, card.legacy_number.lower()) == {"7901000002"}
    assert listed(client, CARDS, card.number) == {"7901000002"}
    assert listed(client, CARDS, "Lan 7901000002") == {"7901000002"}
    assert listed(client, CARDS, "Lan 7901000001") == set()
    assert listed(client, CARDS, cards["namesake"].legacy_number) == set()
    assert listed(client, CARDS, "") == {"7901000001", "7901000002"}


def test_a_card_search_costs_the_same_queries_whatever_it_finds(cards, facility):
    client = logged_in(officer("canbo079", "079", PROVINCE))

    def more():
        for number in range(3):
            issue(make_person(f"790100010{number}", "Lê Văn Cường", id_number=f"07908800010{number}"), facility)

    same_queries_whatever_found(client, CARDS, more)


@pytest.mark.parametrize("query", NAME_QUERIES)
def test_a_patient_is_found_with_or_without_diacritics(visits, query):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    assert listed(client, VISITS, query) == {"7901000001"}  # not the namesake's visit


def test_visits_are_still_found_by_reference_code_and_diagnosis(visits):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    assert listed(client, VISITS, "LK-LAN") == {"7901000002"}
    assert listed(client, VISITS, "lk-cuong") == {"7901000001"}
    assert listed(client, VISITS, "7901000002 Trần") == {"7901000002"}
    assert listed(client, VISITS, "j06.9") == {"7901000001", "7901000002"}
    assert listed(client, VISITS, "LK-THUDUC") == set()
    assert listed(client, VISITS, "") == {"7901000001", "7901000002"}


def test_a_visit_search_costs_the_same_queries_whatever_it_finds(visits, people):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))

    def more():
        for number in range(3):
            visit(people["cuong"], facility="79001", reference=f"LK-THEM-{number}")

    same_queries_whatever_found(client, VISITS, more)


def test_visits_and_cards_are_found_from_the_start_of_a_code(visits, cards):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    assert listed(client, VISITS, "lk-l") == {"7901000002"}
    assert listed(client, VISITS, "J06") == {"7901000001", "7901000002"}
    assert listed(client, VISITS, "790100000") == {"7901000001", "7901000002"}
    assert listed(client, VISITS, "Cường 79010") == {"7901000001"}  # a name and the start of a code
    assert listed(client, VISITS, "06.9") == set()  # the middle of a code: read from no index
    assert listed(client, CARDS, cards["lan"].legacy_number[:9].lower()) == {"7901000001", "7901000002"}
    assert listed(client, CARDS, "790100000") == {"7901000001", "7901000002"}
    assert listed(client, CARDS, "Trần 79010") == {"7901000002"}
    assert listed(client, CARDS, "1000002") == set()


@pytest.mark.parametrize("query", ["LK-LAN", "lk-cuong", "7901000002", "J06", "j06.9", "Hoàng Trọng", "Cường 7901000001"])
def test_a_visit_search_reads_the_visits_from_indexes(visits, query):
    from health_card.models import Visit

    user = officer("quantri", "079", PROVINCE)
    user.is_superuser = True
    assert_search_reads_indexes(Visit, query, user, ("health_card_visit", "accounts_person"))


@pytest.mark.parametrize("query", ["LEGACY", "legacy", "7901000002", "790100", "Hoàng Trọng", "Cường 7901000001"])
def test_a_card_search_reads_the_cards_from_indexes(cards, query):
    legacy = cards["lan"].legacy_number
    query = {"LEGACY": legacy, "legacy": legacy[:9].lower()}.get(query, query)
    user = officer("quantri", "079", PROVINCE)
    user.is_superuser = True
    assert_search_reads_indexes(Card, query, user, ("health_card_card", "accounts_person"))


# --- Outside the scope: a 404 -----------------------------------------------------------------------

def assert_404_and_control(url_end: str, foreign_url: str, own_url: str, outsider, insider, secret: str):
    outside = logged_in(outsider)
    for response in (outside.get(foreign_url + url_end), outside.post(foreign_url + url_end)):
        assert response.status_code == 404, response
        assert secret not in response.content.decode()
    if url_end != "delete/":  # the positive controls (nobody deletes these in the admin)
        assert outside.get(own_url + url_end).status_code == 200
        response = logged_in(insider).get(foreign_url + url_end)
        assert response.status_code == 200


URL_ENDS = ["change/", "history/", "delete/"]


@pytest.mark.parametrize("url_end", URL_ENDS)
def test_another_agencys_card_is_a_404(cards, url_end):
    foreign = cards["namesake"]
    assert_404_and_control(url_end, f"{CARDS}{foreign.pk}/", f"{CARDS}{cards['cuong'].pk}/",
                           officer("canbo07901", "07901", DISTRICT), officer("canbo07903", "07903", DISTRICT),
                           foreign.legacy_number)
    assert logged_in(officer("canbo07902", "07902", DISTRICT)).get(f"{CARDS}999999/{url_end}").status_code == 404


@pytest.mark.parametrize("url_end", URL_ENDS)
def test_a_check_of_another_agencys_card_is_a_404(cards, url_end):
    foreign = CardCheck.objects.create(card=cards["namesake"], person=cards["namesake"].person, channel="qr",
                                       result="valid")
    own = CardCheck.objects.create(card=cards["cuong"], person=cards["cuong"].person, channel="qr", result="valid")
    assert_404_and_control(url_end, f"{CHECKS}{foreign.pk}/", f"{CHECKS}{own.pk}/",
                           officer("canbo07901", "07901", DISTRICT), officer("canbo07903", "07903", DISTRICT),
                           cards["namesake"].legacy_number)


@pytest.mark.parametrize("url_end", URL_ENDS)
def test_a_visit_outside_the_scope_is_a_404(visits, url_end):
    foreign = visits["namesake"]
    assert_404_and_control(url_end, f"{VISITS}{foreign.pk}/", f"{VISITS}{visits['cuong'].pk}/",
                           officer("canbo07901", "07901", DISTRICT), officer("canbo07903", "07903", DISTRICT),
                           "LK-THUDUC")


@pytest.mark.parametrize("url_end", URL_ENDS)
def test_a_token_of_another_provinces_clinic_is_a_404(facility, url_end):
    from lookup.models import MedicalFacility

    token, _ = api_token_create(facility=facility, name="Phần mềm HIS khoa Khám bệnh")  # a clinic of province 79
    hanoi_clinic = MedicalFacility.objects.filter(province__code="01").order_by("code").first()
    hanoi = officer("canbo00101", "00101", DISTRICT)
    hanoi_token, _ = api_token_create(facility=hanoi_clinic, name="Phần mềm HIS Hà Nội", created_by=hanoi)
    assert_404_and_control(url_end, f"{TOKENS}{token.pk}/", f"{TOKENS}{hanoi_token.pk}/",
                           hanoi, officer("canbo079", "079", PROVINCE), token.prefix)


@pytest.mark.parametrize("url_end", URL_ENDS)
def test_a_token_another_agency_made_is_a_404_to_a_district_officer(facility, url_end):
    province_token, _ = api_token_create(facility=facility, name="HIS do tỉnh cấp",
                                         created_by=officer("canbo079", "079", PROVINCE))
    district = officer("canbo07902", "07902", DISTRICT)
    own_token, _ = api_token_create(facility=facility, name="HIS do quận cấp", created_by=district)
    assert_404_and_control(url_end, f"{TOKENS}{province_token.pk}/", f"{TOKENS}{own_token.pk}/",
                           district, officer("canbo079b", "079", PROVINCE), province_token.prefix)
