"""Officers' admin of people and registrations: a name is found with or without its diacritics
and in any case; a person of another agency is a 404; the review page's comparison with the
registry compares the whole address and claims no match where nothing was declared."""

import re
import unicodedata

import pytest
from django.core.files.storage import default_storage

from accounts.models import Person, Registration, User
from accounts.services.registration import child_registration_submit
from lookup.models import Agency, Ward

from .helpers import born_years_ago, jpeg, make_person, officer, submit

CHILD_BORN = born_years_ago(16)  # a minor (15 or 16) whenever the tests run

pytestmark = pytest.mark.usefixtures("reference_data")
DISTRICT = "Cán bộ BHXH cơ sở"
PEOPLE = "/quan-tri/accounts/person/"
REGISTRATIONS = "/quan-tri/accounts/registration/"


@pytest.fixture
def people(db, reference_data):
    cuong = make_person("7901000001", "Hoàng Trọng Cường", id_number="079088012345")
    lan = make_person("7901000002", "Trần Thị Lan", id_number="079188012346", sex=2)
    foreign = make_person("7902000003", "Hoàng Trọng Cường", id_number="079088012347")  # managed by 07902
    Person.objects.filter(pk__in=[cuong.pk, lan.pk]).update(agency=Agency.objects.get(code="07901"))
    Person.objects.filter(pk=foreign.pk).update(agency=Agency.objects.get(code="07902"))
    return {"cuong": cuong, "lan": lan, "foreign": foreign}


def codes_found(client, url: str, query: str, codes) -> set[str]:
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return {code for code in codes if code in html}


CODES = ("7901000001", "7901000002", "7902000003")


@pytest.mark.parametrize("query", ["Hoàng Trọng Cường", "hoang trong cuong", "HOÀNG TRỌNG CƯỜNG", "Trọng  cường",
                                   "Cường,", unicodedata.normalize("NFD", "Hoàng Trọng Cường")])
def test_a_person_is_found_by_name_with_or_without_diacritics(client, people, query):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert codes_found(client, PEOPLE, query, CODES) == {"7901000001"}  # not the namesake of 07902


def test_a_person_is_still_found_by_code_and_id_number(client, people):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert codes_found(client, PEOPLE, "7901000002", CODES) == {"7901000002"}
    assert codes_found(client, PEOPLE, "079088012345", CODES) == {"7901000001"}
    assert codes_found(client, PEOPLE, "Lan 079188012346", CODES) == {"7901000002"}
    assert codes_found(client, PEOPLE, "Lan 079088012345", CODES) == set()
    assert codes_found(client, PEOPLE, "", CODES) == {"7901000001", "7901000002"}


def test_a_registration_is_found_by_the_registry_name_in_any_case(client, people):
    registration = submit(people["lan"], "07901")
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    for query in ("TRẦN THỊ LAN", "tran thi lan", "Trần Thị Lan", registration.reference.lower(), "7901000002"):
        assert codes_found(client, REGISTRATIONS, query, [registration.reference]) == {registration.reference}, query
    assert codes_found(client, REGISTRATIONS, "Hoàng", [registration.reference]) == set()


@pytest.mark.parametrize("url_end", ["change/", "history/", "delete/"])
def test_a_person_of_another_agency_is_a_404(client, people, url_end):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    foreign = people["foreign"]
    for response in (client.get(f"{PEOPLE}{foreign.pk}/{url_end}"), client.post(f"{PEOPLE}{foreign.pk}/{url_end}")):
        assert response.status_code == 404
        assert foreign.bhxh_code not in response.content.decode()
    assert Person.objects.filter(pk=foreign.pk).exists()
    if url_end != "delete/":  # the positive control
        assert client.get(f"{PEOPLE}{people['cuong'].pk}/{url_end}").status_code == 200


def comparison_rows(client, registration) -> dict[str, tuple[str, str]]:
    """Label → (the row's class, its verdict) of the review page's comparison table."""
    html = client.get(f"{REGISTRATIONS}{registration.pk}/change/").content.decode()
    table = html.split('<table class="comparison">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr class="([^"]*)"><th scope="row">([^<]*)</th><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>',
                      table)
    return {label: (css, verdict) for css, label, verdict in rows}


@pytest.mark.parametrize("registry_street, declared_street, same", [
    ("16 Trần Hưng Đạo", "12 Lê Lợi", False),
    ("12 Lê Lợi", "12 Lê Lợi", True),
    ("12 lê  lợi ", "12 LÊ LỢI", True),  # spaces and case
    (unicodedata.normalize("NFD", "12 Lê Lợi"), "12 Lê Lợi", True),  # the same letters, decomposed
    ("", "12 Lê Lợi", False),  # the registry has no street: nothing confirms it
])
def test_the_address_is_compared_whole(client, people, registry_street, declared_street, same):
    person = people["lan"]
    Person.objects.filter(pk=person.pk).update(street=registry_street)
    registration = submit(person, "07901", street=declared_street)
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert comparison_rows(client, registration)["Địa chỉ"] == (("", "Khớp") if same else ("mismatch", "⚠ Khác"))


def test_another_ward_with_the_same_street_does_not_match(client, people):
    person = people["lan"]
    Person.objects.filter(pk=person.pk).update(street="12 Lê Lợi")
    other_ward = Ward.objects.filter(province=person.province).exclude(pk=person.ward_id).first()
    registration = submit(person, "07901", street="12 Lê Lợi", ward=other_ward)
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert comparison_rows(client, registration)["Địa chỉ"] == ("mismatch", "⚠ Khác")


def registered_by(parent, child):
    """A child's registration submitted by a parent's login, with three real photos."""
    photos = {field: default_storage.save(f"registrations/tmp/t/{field}.jpg", jpeg())
              for field in ("portrait", "id_front", "id_back")}
    return child_registration_submit(
        parent=parent, photos=photos, submission_key="",
        child={"bhxh_code": child.bhxh_code, "full_name": child.full_name, "birth_date": child.birth_date,
               "relationship": "cha", "birth_certificate_number": "123/2018",
               "agency": Agency.objects.get(code="07901")},
    )


def test_a_childs_registration_claims_no_match_for_the_id_it_does_not_declare(client, people):
    parent_person = people["cuong"]
    parent = User.objects.create_user(parent_person.bhxh_code, password="x-Pass-2026!", person=parent_person)
    child = make_person("7905555555", "Hoàng Gia Bảo", birth=CHILD_BORN, id_number="")
    registration = registered_by(parent, child)
    assert registration.id_number == "" and registration.is_child
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    rows = comparison_rows(client, registration)
    assert "" not in rows  # no row without a label
    # nor for the phone, which is the parent's
    assert set(rows) == {"Mã số BHXH", "Họ và tên", "Ngày sinh", "Địa chỉ", "Cơ quan BHXH tiếp nhận / quản lý"}
    assert rows["Họ và tên"] == ("", "Khớp")
    html = client.get(f"{REGISTRATIONS}{registration.pk}/change/").content.decode()
    assert "Duyệt và liên kết với tài khoản cha/mẹ" in html and "Duyệt và cấp tài khoản" not in html
    # an adult's registration keeps its ID row
    adult_registration = submit(people["lan"], "07901")
    adult = comparison_rows(client, adult_registration)
    assert adult[Registration(id_type=people["lan"].id_type).get_id_type_display()] == ("", "Khớp")
    assert "Điện thoại" in adult
    assert "Duyệt và cấp tài khoản" in client.get(f"{REGISTRATIONS}{adult_registration.pk}/change/").content.decode()


def test_a_childs_registration_without_a_street_shows_and_compares_no_placeholder(client, people):
    """A parent without a street on record gives the child's registration the placeholder street
    "-": the review page shows the ward and province alone, and a child the registry also knows
    without a street matches."""
    parent_person = people["cuong"]
    Person.objects.filter(pk=parent_person.pk).update(street="")
    parent_person.refresh_from_db()
    parent = User.objects.create_user(parent_person.bhxh_code, password="x-Pass-2026!", person=parent_person)
    child = make_person("7905555555", "Hoàng Gia Bảo", birth=CHILD_BORN, id_number="")
    Person.objects.filter(pk=child.pk).update(street="", ward=parent_person.ward, province=parent_person.province)
    registration = registered_by(parent, child)
    assert registration.street == Registration.NO_STREET
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    html = client.get(f"{REGISTRATIONS}{registration.pk}/change/").content.decode()
    assert f"<td>{parent_person.ward.name}, {parent_person.province.name}</td>" in html
    assert "<td>-, " not in html
    assert comparison_rows(client, registration)["Địa chỉ"] == ("", "Khớp")


def test_the_id_number_is_compared_as_the_registration_decides_it_whatever_the_spaces_around_it(client, people):
    """The officer's comparison reads a registration's ID number by the rule the registration's decision
    uses (accounts.selectors.identity_match): spaces kept around it are not a difference."""
    person = people["lan"]
    Person.objects.filter(pk=person.pk).update(id_type="cmnd", id_number="023456789")
    person.refresh_from_db()
    registration = submit(person, "07901")
    label = Registration(id_type=person.id_type).get_id_type_display()
    Registration.objects.filter(pk=registration.pk).update(id_number=" 023456789 ")
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert comparison_rows(client, registration)[label] == ("", "Khớp")
    Registration.objects.filter(pk=registration.pk).update(id_number=" 023456788 ")  # the positive control
    assert comparison_rows(client, registration)[label] == ("mismatch", "⚠ Khác")
