"""Feedback while Redis (where its limits are counted) is down: a feedback or a lookup whose limit
cannot be counted is refused with a note that the service is briefly unavailable (503,
Retry-After), not with "too many"."""

import pytest

from public_services.models import Feedback
from tests.accounts.test_code_lookup_redis_down import stop_redis

from .test_feedback import CONTENT, FORM, LOOKUP, agency, fields, key_of  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Gửi và tra cứu phản ánh đang tạm gián đoạn. Hãy thử lại sau vài phút."


def test_a_feedback_sent_during_an_outage_is_said_unavailable_not_too_many(client, agency, settings,  # noqa: F811
                                                                            monkeypatch):
    key = key_of(client.get(FORM))
    stop_redis(settings, monkeypatch)
    response = client.post(FORM, {**fields(agency), "idempotency_key": key})
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert UNAVAILABLE in html and "quá nhiều" not in html
    assert CONTENT in html  # what was typed is kept
    assert not Feedback.objects.exists()


def test_a_feedback_refused_during_an_outage_asks_nothing_to_be_fixed(client, agency, settings,  # noqa: F811
                                                                       monkeypatch):
    """The outage is the portal's fault: the summary heads the note as a request not carried out,
    not as errors in what was typed."""
    key = key_of(client.get(FORM))
    stop_redis(settings, monkeypatch)
    html = client.post(FORM, {**fields(agency), "idempotency_key": key}).content.decode()
    assert "Yêu cầu chưa được thực hiện" in html and "Có lỗi cần sửa" not in html


def test_a_lookup_during_an_outage_is_said_unavailable_not_too_many(client, settings, monkeypatch):
    stop_redis(settings, monkeypatch)
    response = client.post(LOOKUP, {"tracking_number": "PA2611ABCDEFGH", "contact": "0912345678"})
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert UNAVAILABLE in html and "quá nhiều" not in html
