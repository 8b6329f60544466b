"""The reference data and FAQ admins: a row is found by any word of its folded search key (name,
address, the FAQ's answer) typed with or without diacritics, in any case and with punctuation
around it (FoldedKeySearch); codes still as typed. The clinic search of the API-token form keeps
offering only the clinics the form accepts (AutocompleteWithinTheForm narrows the folded search)."""

import re
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from lookup.models import Agency, CollectionPoint, Employer, MedicalFacility
from lookup.models_support import FaqQuestion, FaqTopic
from lookup.services_support import faq_question_save
from tests.accounts.helpers import officer
from vssid_portal.text import search_words

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def admin(client, reference_data):
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    return client


def url_of(model) -> str:
    return f"/quan-tri/lookup/{model._meta.model_name}/"


def found(client, model, query: str) -> set[int]:
    """The pks of the rows the list links to for this search."""
    response = client.get(url_of(model), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('<table id="result_list">', 1)[1].split("</table>", 1)[0] if "result_list" in html else ""
    return {int(pk) for pk in re.findall(rf'href="{url_of(model)}(\d+)/change/', table)}


def by_key(model, query: str) -> set[int]:
    """The rows whose folded key holds every word of the query: what the admin must list."""
    words = search_words(query)
    return {pk for pk, key in model.objects.values_list("pk", "search_key") if all(word in key for word in words)}


CASES = [
    # model, the row's code, the query as the row writes it (a word of the address or answer included)
    (Agency, "07903", "Thủ Đức Võ Văn Ngân"),
    (MedicalFacility, "79001", "Chợ Rẫy Nguyễn Chí Thanh"),
    (Employer, "DN9254G", "Xây dựng Cửu Long"),
    (CollectionPoint, "DT79004", "Đặng Thị Hoa Nguyễn Thị Định"),
]


@pytest.mark.parametrize("model, code, query", CASES, ids=[case[0].__name__ for case in CASES])
def test_a_row_is_found_with_or_without_diacritics_in_any_case(admin, model, code, query):
    row = model.objects.get(code=code)
    expected = by_key(model, query)
    assert row.pk in expected and len(expected) < model.objects.count()
    folded = " ".join(search_words(query))
    for typed in (query, query.upper(), folded, f"{query},", f"({query})", unicodedata.normalize("NFD", query)):
        assert found(admin, model, typed) == expected, typed
    assert found(admin, model, code) == {row.pk}  # the code as typed
    assert found(admin, model, code.lower()) == {row.pk}
    assert found(admin, model, f"{code} Không Có Từ Này") == set()  # every word must be found


def test_a_faq_question_is_found_by_a_word_of_its_answer_with_diacritics(admin):
    question = FaqQuestion(topic=FaqTopic.objects.get(slug="the-bhyt"), question="Thẻ BHYT bị mất thì làm gì?",
                           answer="Nộp hồ sơ cấp lại tại Bưu điện Phước Long hoặc trên Cổng Dịch vụ công.",
                           position=9, is_published=True)
    faq_question_save(question=question)
    for typed in ("Bưu điện Phước Long", "BƯU ĐIỆN PHƯỚC LONG", "buu dien phuoc long", "Phước Long,",
                  unicodedata.normalize("NFD", "Bưu điện Phước Long")):
        assert found(admin, FaqQuestion, typed) == {question.pk}, typed
    assert question.pk in found(admin, FaqQuestion, "Thẻ BHYT bị mất")


def test_a_search_costs_the_same_queries_whatever_it_finds(admin):
    def count(query):
        assert found(admin, Employer, query) == by_key(Employer, query)  # the rows are listed (and the page warm)
        with CaptureQueriesContext(connection) as queries:
            assert admin.get(url_of(Employer), {"q": query}).status_code == 200
        return len(queries)

    assert len(by_key(Employer, "Cửu Long")) > 1 and len(by_key(Employer, "Xây dựng Cửu Long")) == 1
    assert count("Cửu Long") == count("Xây dựng Cửu Long")


def test_the_token_forms_clinic_search_is_folded_and_kept_to_the_officers_province(reference_data):
    from django.test import Client

    def search(user, term):
        client = Client()
        client.force_login(user)
        response = client.get("/quan-tri/autocomplete/", {"app_label": "health_card", "model_name": "facilityapitoken",
                                                          "field_name": "facility", "term": term})
        assert response.status_code == 200, response.status_code
        return {int(result["id"]) for result in response.json()["results"]}

    cho_ray = MedicalFacility.objects.get(code="79001")
    saigon, hanoi = officer("canbo07902", "07902", "Cán bộ BHXH cơ sở"), officer("canbo00101", "00101",
                                                                                  "Cán bộ BHXH cơ sở")
    for term in ("CHỢ RẪY", "cho ray", "Chợ Rẫy,"):
        assert search(saigon, term) == {cho_ray.pk}, term
        assert search(hanoi, term) == set(), term  # a clinic of another province, whatever the spelling
