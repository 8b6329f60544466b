"""Every autocomplete field of every admin page answers a value its related row's key cannot take
(`?person=abc` in the address of an add page, a posted `facility=abc`, a number past the column's
range) with the page — no choice shown, or, posted, the form's usual "choose a valid choice" — and
not with a server error (Django's autocomplete widget looked the value up as it came)."""

import re

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from accounts.models import User
from vssid_portal.admin import PortalAutocompleteSelect

WRONG = ["abc", "99999999999999999999", "1.5"]


def _superuser_request():
    request = RequestFactory().get("/quan-tri/")
    request.user = User(username="quantri", is_superuser=True, is_staff=True)
    return request


AUTOCOMPLETE = sorted(((model, name) for model, model_admin in admin.site._registry.items()
                       for name in model_admin.get_autocomplete_fields(_superuser_request())),
                      key=lambda pair: (pair[0]._meta.label, pair[1]))


def test_the_walk_finds_the_autocomplete_fields():
    assert {(model._meta.label, name) for model, name in AUTOCOMPLETE} >= {
        ("participation.Period", "person"), ("benefits.BenefitRecord", "person"), ("health_card.Card", "facility"),
        ("health_card.FacilityApiToken", "facility"), ("health_card.Visit", "facility"), ("lookup.CollectionPoint", "ward")}


@pytest.mark.parametrize(("model", "name"), AUTOCOMPLETE, ids=[f"{model._meta.label}.{name}" for model, name in AUTOCOMPLETE])
def test_a_value_the_key_cannot_take_is_no_choice(db, model, name):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("quantri", password=None))
    url = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/add/"
    for value in WRONG:
        response = client.get(url, {name: value})
        assert response.status_code == 200, value
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', response.content.decode(), re.S).group(1)
        assert "selected" not in select, value

        response = client.post(url, {name: value})
        assert response.status_code == 200, value
        assert "Hãy chọn một lựa chọn hợp lệ" in str(response.context["adminform"].form.errors[name]), value
    form = response.context["adminform"].form
    assert type(form.fields[name].widget.widget) is PortalAutocompleteSelect  # the shared widget, not a copy


def test_a_row_of_the_field_is_still_shown_chosen(reference_data):
    from lookup.models import Agency

    agency = Agency.objects.order_by("pk").first()
    client = Client()
    client.force_login(User.objects.create_superuser("quantri", password=None))
    html = client.get("/quan-tri/lookup/agency/add/", {"parent": agency.pk}).content.decode()
    select = re.search(r'<select name="parent"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.search(rf'<option value="{agency.pk}" selected>', select)


@pytest.mark.parametrize(("model", "name"), AUTOCOMPLETE, ids=[f"{model._meta.label}.{name}" for model, name in AUTOCOMPLETE])
def test_a_term_with_a_nul_character_finds_nothing(db, model, name):
    """PostgreSQL refuses a NUL character in a query: the box's answer is no row, not a server error."""
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("quantri", password=None))
    asked = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": name}
    assert client.get("/quan-tri/autocomplete/", {**asked, "term": "a"}).status_code == 200  # the control
    for term in ["\x00", "Nguyễn\x00Văn"]:
        response = client.get("/quan-tri/autocomplete/", {**asked, "term": term})
        assert response.status_code == 200, repr(term)
        assert response.json()["results"] == [], repr(term)


@pytest.mark.parametrize(("model", "name"), [("lookup.agency", "persons"), ("accounts.person", "filings"),
                                             ("health_card.benefitlevel", "cards")])
def test_a_field_name_that_names_a_reverse_relation_is_refused(reference_data, model, name):
    """The box asks for a form's own field: one naming the rows that point at the model (an agency's
    persons, typed in the address) is refused as any field that is no relation (403), where Django
    looked up its choices' limit, which such a relation does not have: a server error."""
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("quantri", password=None))
    app_label, model_name = model.split(".")
    response = client.get("/quan-tri/autocomplete/", {"app_label": app_label, "model_name": model_name,
                                                      "field_name": name, "term": ""})
    assert response.status_code == 403
