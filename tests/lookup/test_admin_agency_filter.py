"""The agency filter of the officers' lists (lookup.admin_filters.OfficerAgencyFilter) offers rows
with no agency only where such rows can be listed, a superuser's list, and names that choice: an
officer's list holds only their agencies' rows, where a bare "-" choice always listed nothing."""

import re

import pytest
from django.test import Client

from accounts.models import Person, User
from lookup.models import Agency
from tests.accounts.helpers import make_person, officer

pytestmark = pytest.mark.usefixtures("reference_data")
PERSONS = "/quan-tri/accounts/person/"


@pytest.fixture
def persons(db):
    managed = make_person("7901000001", "Trần Thị Lan", id_number="079188012345", sex=2)
    Person.objects.filter(pk=managed.pk).update(agency=Agency.objects.get(code="07901"))
    return managed, make_person("7901000002", "Lê Văn Hùng", id_number="079088012346")  # no agency yet


def agency_choices(html: str) -> dict[str, str]:
    """The agency filter's choices on a list page, link → text; none when the filter is not shown
    (Django leaves out a filter with a single choice)."""
    section = re.search(r"<details[^>]*data-filter-title=\"cơ quan BHXH[^\"]*\".*?</details>", html, re.S)
    return {link.replace("&amp;", "&"): text.strip()
            for link, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', section.group(0) if section else "")}


@pytest.mark.parametrize(("username", "agency", "group"), [("canbo07901", "07901", "Cán bộ BHXH cơ sở"),
                                                           ("canbo079", "079", "Cán bộ BHXH tỉnh")])
def test_an_officer_is_offered_only_their_agencies(persons, username, agency, group):
    client = Client()
    client.force_login(officer(username, agency, group))
    response = client.get(PERSONS)
    html = response.content.decode()
    assert response.status_code == 200 and persons[0].bhxh_code in html  # the list itself, with the person managed
    choices = agency_choices(html)
    assert "agency__isnull" not in html, choices
    assert "-" not in choices.values() and "Chưa có cơ quan BHXH" not in choices.values()
    # A district officer's one agency is no choice at all; a province officer picks among theirs.
    assert ("[07901] BHXH Quận 1" in choices.values()) == (agency == "079"), choices


def test_a_superuser_is_offered_the_persons_with_no_agency_by_name(persons):
    managed, unmanaged = persons
    client = Client()
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!", email="quantri@vssid.local"))
    choices = agency_choices(client.get(PERSONS).content.decode())
    [link] = [link for link, text in choices.items() if text == "Chưa có cơ quan BHXH"]
    assert "-" not in choices.values()
    html = client.get(PERSONS + link).content.decode()
    assert unmanaged.bhxh_code in html and managed.bhxh_code not in html
