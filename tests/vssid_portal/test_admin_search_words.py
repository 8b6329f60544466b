"""The officers' admin searches at most SEARCH_WORDS_MAX words, as the public lookups do: each word
is one condition over every search field (several LIKEs, a subquery for a code), and a query pasted
whole would build one SQL query of thousands of them. The list says which words were left out."""

import html

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from lookup.models import Agency
from lookup.selectors import SEARCH_WORDS_MAX

SEARCHED = sorted((model for model, model_admin in admin.site._registry.items()
                   if model_admin.get_search_fields(RequestFactory().get("/"))), key=lambda model: model._meta.label)


@pytest.fixture
def officer_client(db):
    client = Client()
    client.force_login(User.objects.create_superuser("quantri", password=None))
    return client


def test_the_walk_finds_the_searches_officers_use():
    assert {model._meta.label for model in SEARCHED} >= {
        "accounts.Person", "accounts.Registration", "public_services.Filing", "lookup.Agency",
        "lookup.MedicalFacility", "lookup.Employer", "lookup.CollectionPoint", "lookup.FaqQuestion"}


@pytest.mark.parametrize("model", SEARCHED, ids=[model._meta.label for model in SEARCHED])
def test_a_list_searches_the_first_words_and_names_the_rest(officer_client, model):
    kept = [f"tugiu{n}" for n in range(SEARCH_WORDS_MAX)]
    query = " ".join(kept + [f"tuthua{n}" for n in range(300)])
    with CaptureQueriesContext(connection) as queries:
        response = officer_client.get(f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/", {"q": query})
    assert response.status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "tugiu" in sql.lower() and "tuthua" not in sql.lower()
    shown = html.unescape(response.content.decode())
    assert "Từ khóa quá dài: các từ “tuthua0 tuthua1" in shown and "tuthua299” không được tìm." in shown


def test_a_row_is_found_by_its_first_words_whatever_follows(officer_client, reference_data):
    agency = Agency.objects.get(code="07903")
    words = ("Thủ Đức Võ Văn Ngân " * SEARCH_WORDS_MAX).split()[:SEARCH_WORDS_MAX]
    query = " ".join(words + ["Không"] * SEARCH_WORDS_MAX)
    response = officer_client.get("/quan-tri/lookup/agency/", {"q": query})
    assert f"/quan-tri/lookup/agency/{agency.pk}/change/" in response.content.decode()
    response = officer_client.get("/quan-tri/lookup/agency/", {"q": "Thủ Đức Không"})
    assert f"/quan-tri/lookup/agency/{agency.pk}/change/" not in response.content.decode()  # every word kept counts


def test_a_search_within_the_bound_says_nothing_left_out(officer_client):
    query = " ".join(f"tugiu{n}" for n in range(SEARCH_WORDS_MAX))
    response = officer_client.get("/quan-tri/accounts/person/", {"q": query})
    assert "Từ khóa quá dài" not in response.content.decode()


def test_an_autocomplete_box_searches_the_first_words(officer_client):
    query = " ".join([f"tugiu{n}" for n in range(SEARCH_WORDS_MAX)] + [f"tuthua{n}" for n in range(300)])
    with CaptureQueriesContext(connection) as queries:
        response = officer_client.get("/quan-tri/autocomplete/", {
            "term": query, "app_label": "participation", "model_name": "period", "field_name": "person"})
    assert response.status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "tugiu" in sql.lower() and "tuthua" not in sql.lower()
