"""Autocomplete tokens say whose data a field holds (WCAG 1.3.5): the citizen's own birthday and
phone for their own fields, none for another person's (a child's birth date, the authorised
person's phone), where the browser would otherwise offer the citizen's own, or, on a desk computer
a clinic or a family shares, what earlier people typed (a patient's code, name and diagnosis)."""

import re

import pytest
from django.urls import reverse

from tests.health_card.test_visits import clinic_staff
from tests.public_services.helpers import monthly_allowance, owner  # noqa: F401 (fixture)
from tests.public_services.test_filed_for_a_child import child  # noqa: F401 (fixture)


def autocomplete_of(html: str, field: str) -> str | None:
    tag = re.search(rf'<input\b[^>]*\bname="{field}"[^>]*>', html).group(0)
    token = re.search(r'\bautocomplete="([^"]*)"', tag)
    return token and token.group(1)


@pytest.mark.django_db
def test_the_childs_birth_date_is_not_offered_the_parents_birthday(client, owner):  # noqa: F811
    client.force_login(owner)
    assert autocomplete_of(client.get("/ca-nhan/dang-ky-cho-con/").content.decode(), "birth_date") == "off"
    client.logout()
    assert autocomplete_of(client.get("/dang-ky/").content.decode(), "birth_date") == "bday"  # one's own


@pytest.mark.django_db
def test_the_childs_code_name_and_birth_certificate_are_not_offered_from_earlier_forms(client, owner):  # noqa: F811
    client.force_login(owner)
    html = client.get("/ca-nhan/dang-ky-cho-con/").content.decode()
    for field in ("bhxh_code", "full_name", "birth_certificate_number"):
        assert autocomplete_of(html, field) == "off", field
    client.logout()
    assert autocomplete_of(client.get("/dang-ky/").content.decode(), "full_name") == "name"  # one's own


@pytest.mark.django_db
def test_the_authorised_persons_phone_is_not_offered_the_citizens_own(client, owner):  # noqa: F811
    client.force_login(owner)
    html = client.get("/dich-vu-cong/uy-quyen-nhan-thay/").content.decode()
    for field in ("authorised_phone", "authorised_name", "authorised_birth_date", "authorised_id_number"):
        assert autocomplete_of(html, field) == "off", field
    assert autocomplete_of(html, "phone") == "tel"  # one's own


@pytest.mark.django_db
def test_the_clinic_s_visit_form_offers_no_earlier_patient_s_code_name_or_diagnosis(client, reference_data):
    """As the card check page does for the same data: the desk computer is shared."""
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    html = client.get("/quan-tri/health_card/visit/add/").content.decode()
    for field in ("bhxh_code", "patient_name", "diagnosis_code", "diagnosis_name"):
        assert autocomplete_of(html, field) == "off", field


def select_autocomplete_of(html: str, field: str) -> str | None:
    tag = re.search(rf'<select\b[^>]*\bname="{field}"[^>]*>', html).group(0)
    token = re.search(r'\bautocomplete="([^"]*)"', tag)
    return token and token.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "inputs", "selects"), [
    ("/dich-vu-cong/thay-doi-phuong-thuc-nhan/", {"account_holder": "name", "new_address": "address-line1"}, {}),
    ("/dich-vu-cong/chuyen-noi-huong/", {"new_address": "address-line1"}, {"new_province": "address-level1"}),
])
def test_the_beneficiarys_name_and_address_say_their_purpose_for_autofill(client, owner, url, inputs, selects):  # noqa: F811
    """One line holding the whole address is address-line1: street-address is for several lines."""
    client.force_login(owner)
    html = client.get(url).content.decode()
    assert {field: autocomplete_of(html, field) for field in inputs} == inputs
    assert {field: select_autocomplete_of(html, field) for field in selects} == selects


@pytest.mark.django_db
def test_the_code_lookups_province_says_it_is_the_citizens_own(client, reference_data):
    html = client.get("/tra-cuu/ma-so-bhxh/").content.decode()
    assert select_autocomplete_of(html, "province") == "address-level1"


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "inputs", "selects"), [
    ("/dich-vu-cong/thay-doi-phuong-thuc-nhan/", ("account_holder", "new_address"), ()),
    ("/dich-vu-cong/chuyen-noi-huong/", ("new_address",), ("new_province",)),
])
def test_a_childs_name_and_address_are_not_offered_the_parents_own(client, owner, child, url, inputs, selects):  # noqa: F811
    """Filled in by a parent for a child, the beneficiary's name and address are another person's."""
    monthly_allowance(child)  # only a beneficiary is offered these procedures
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    html = client.get(url).content.decode()
    assert {field: autocomplete_of(html, field) for field in inputs} == dict.fromkeys(inputs, "off")
    assert {field: select_autocomplete_of(html, field) for field in selects} == dict.fromkeys(selects, "off")
