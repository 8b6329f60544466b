"""A statement states its data in Vietnamese whatever the language of the page that asked for it.

The type and payer labels of a period are lazy translations (the history page shows them in
English), and the statement's content hash covers them: built while English is active (the
embedded default runs the Celery task eagerly, inside the English request), the statement must
still state "BHXH bắt buộc" and hash to what the same data gives in Vietnamese, or the printed
hash would depend on who asked and in which language."""

import pytest
from django.conf import settings
from django.utils import translation

from participation.models import Period, Statement
from participation.services import statements as service
from tests.participation.test_statement import LIST_URL, employers, owner  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("reference_data")


def test_a_statement_asked_for_from_an_english_page_is_stated_and_hashed_in_vietnamese(
        owner, client, django_capture_on_commit_callbacks):  # noqa: F811
    with translation.override("en"):
        assert Period.Kind("bhxh_bb").label == "Compulsory social insurance"  # the control: labels speak English
    client.force_login(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST_URL)
        assert translation.get_language() == "en"  # the eager build runs with English active
    assert response.status_code == 302 and response["Content-Language"] == "en"
    statement = Statement.objects.get()
    assert statement.status == Statement.Status.READY

    stated = service.statement_snapshot(statement)  # the hashed bytes, checked against content_hash
    rows = [row for group in stated["groups"] for row in group["periods"]]
    assert sorted({(row["kind"], row["kind_label"]) for row in rows}) == [
        ("bhtn", "BHTN"), ("bhxh_bb", "BHXH bắt buộc"), ("bhxh_tn", "BHXH tự nguyện"), ("bhyt", "BHYT")]
    assert sorted({(row["payer"], row["payer_label"]) for row in rows}) == [
        ("employer", "Đơn vị sử dụng lao động"), ("self", "Tự đóng")]
    assert [group["label"] for group in stated["groups"]] == ["BHXH", "BHTN", "BHTNLĐ-BNN", "BHYT"]

    with translation.override("vi"):
        vietnamese = service.statement_data(statement, issued_at=statement.issued_at, verify_url=stated["verify_url"])
    assert vietnamese == stated
    assert service.content_hash_of(vietnamese) == statement.content_hash
    with translation.override("en"):
        english = service.statement_data(statement, issued_at=statement.issued_at, verify_url=stated["verify_url"])
    assert service.content_hash_of(english) == statement.content_hash
