"""Statements while Redis (where their limits are counted) is down: a request for a statement or a
check of a printed one whose limit cannot be counted is refused with a note that the service is
briefly unavailable (503, Retry-After), not with "too many"."""

import pytest
from django.test import Client

from participation.models import Statement
from participation.services import statements as service
from tests.accounts.test_code_lookup_redis_down import stop_redis
from tests.participation.test_statement import LIST_URL, employers, owner, owner_client  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("reference_data")

REQUEST_UNAVAILABLE = "Yêu cầu bản xác nhận quá trình tham gia đang tạm gián đoạn. Hãy thử lại sau vài phút."
VERIFY_UNAVAILABLE = "Kiểm tra bản xác nhận quá trình tham gia đang tạm gián đoạn. Hãy thử lại sau vài phút."


def test_a_statement_requested_during_an_outage_is_said_unavailable_not_too_many(owner_client, settings,  # noqa: F811
                                                                                  monkeypatch):
    stop_redis(settings, monkeypatch)
    response = owner_client.post(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert REQUEST_UNAVAILABLE in html and "quá nhiều" not in html
    assert not Statement.objects.exists()


def test_a_build_started_again_during_an_outage_is_said_unavailable_not_too_many(owner_client, owner,  # noqa: F811
                                                                                  settings, monkeypatch):
    statement = service.statement_request(person=owner.person, requested_by=owner, verify_base="http://testserver")
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.FAILED)
    stop_redis(settings, monkeypatch)
    response = owner_client.post(f"{LIST_URL}{statement.pk}/")
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert REQUEST_UNAVAILABLE in html and "quá nhiều" not in html
    assert Statement.objects.get(pk=statement.pk).status == Statement.Status.FAILED


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/xac-thuc/van-ban/?ma=ABCD-EFGH-JKLM-NPQR", "/xac-thuc/van-ban/ABCD-EFGH-JKLM-NPQR/"])
def test_a_statement_checked_during_an_outage_is_said_unavailable_not_too_many(path, settings, monkeypatch):
    stop_redis(settings, monkeypatch)
    response = Client().get(path)
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert VERIFY_UNAVAILABLE in html and "quá nhiều" not in html
