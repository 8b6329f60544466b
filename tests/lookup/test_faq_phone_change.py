"""The FAQ answer on changing the registered phone number (migration lookup 0017) sends a citizen
who can still log in to the portal's own procedure, and one who no longer receives codes to the
agency or the hotline. An answer an officer has reworded is left alone, and the migration reverses."""

import html

import pytest
from django.urls import reverse

from lookup.models_support import FaqQuestion
from public_services.procedures.contact_change import ContactChange
from tests.benefits.helpers import citizen
from tests.lookup.faq_rewrites import assert_the_rewrite_reverses_and_keeps_an_edit

pytestmark = pytest.mark.django_db

QUESTION = "Đổi số điện thoại đã đăng ký như thế nào?"


def test_the_answer_names_the_procedure_the_portal_offers(client, reference_data):
    faq = html.unescape(client.get("/ho-tro/", {"q": "doi so dien thoai"}).content.decode())
    assert f"Dịch vụ công › {ContactChange.name}" in faq
    assert "tại cơ quan BHXH hoặc qua dịch vụ công" not in faq
    assert "1900 9068" in FaqQuestion.objects.get(question=QUESTION).answer
    # The procedure the answer names is one a logged-in citizen can open.
    client.force_login(citizen())
    assert client.get(reverse("public_services:form", args=[ContactChange.slug])).status_code == 200


def test_a_reworded_answer_is_kept_and_the_migration_reverses():
    assert_the_rewrite_reverses_and_keeps_an_edit("0017_faq_phone_change_procedure", QUESTION,
                                                  seeded_words="tai co quan bhxh hoac qua dich vu cong",
                                                  new_words="dieu chinh so dien thoai")
