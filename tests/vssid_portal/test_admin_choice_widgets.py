"""Links to tables of national size (medical facilities, wards) are searched in the admin forms,
not listed: a drop-down of every facility of the country is megabytes of HTML on every form."""

import re

import pytest
from django.contrib.auth import get_user_model

from lookup.models import MedicalFacility, Ward
from tests.accounts.helpers import officer
from tests.health_card.test_visits import clinic_staff

DISTRICT = "Cán bộ BHXH cơ sở"

pytestmark = pytest.mark.usefixtures("reference_data")


def select_of(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S).group(0)


@pytest.mark.parametrize("url", ["/quan-tri/health_card/visit/add/", "/quan-tri/participation/period/add/"])
def test_an_officer_searches_the_facility(client, url):
    assert MedicalFacility.objects.count() > 20
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    facility = select_of(client.get(url).content.decode(), "facility")
    assert "admin-autocomplete" in facility and facility.count("<option") <= 1


def test_the_officers_facility_search_answers(client):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    response = client.get("/quan-tri/autocomplete/", {"term": "79001", "app_label": "health_card",
                                                      "model_name": "visit", "field_name": "facility"})
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == [str(MedicalFacility.objects.get(code="79001"))]


def test_clinic_staff_choose_their_own_facility_from_a_list_of_one(client):
    client.force_login(clinic_staff("kcb79001", "79001"))
    facility = select_of(client.get("/quan-tri/health_card/visit/add/").content.decode(), "facility")
    assert "admin-autocomplete" not in facility
    assert re.findall(r'<option value="(\d+)"', facility) == [str(MedicalFacility.objects.get(code="79001").pk)]


def test_a_collection_points_ward_is_searched(client):
    assert Ward.objects.count() > 1000
    client.force_login(get_user_model().objects.create_superuser("quantri", password="x-Pass-2026!"))
    ward = select_of(client.get("/quan-tri/lookup/collectionpoint/add/").content.decode(), "ward")
    assert "admin-autocomplete" in ward and ward.count("<option") <= 1
