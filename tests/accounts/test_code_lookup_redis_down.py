"""The BHXH-code lookup while Redis (its spent-challenge store and its rate-limit counters) is down:
the visitor is told the lookup is briefly unavailable (503, Retry-After), not that the answer was
wrong or that he searched too often, and no search runs uncounted."""

import pytest

from accounts.models import CodeLookupAudit
from tests.accounts.test_code_lookup import URL, lookup, person  # noqa: F401 (fixture)
from vssid_portal.cache import ResilientRedisCache, cache_reachable

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Tra cứu mã số BHXH đang tạm gián đoạn. Hãy thử lại sau vài phút."


def stop_redis(settings, monkeypatch):
    """The portal's cache on a closed port from now on, as during a Redis outage."""
    monkeypatch.setattr(ResilientRedisCache, "_down_until", 0.0)
    settings.CACHES = {"default": {"BACKEND": "vssid_portal.cache.ResilientRedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0", "KEY_PREFIX": "vssid"}}


@pytest.fixture
def redis_down(settings, monkeypatch):
    stop_redis(settings, monkeypatch)


def test_cache_reachable_says_whether_redis_answered(redis_down):
    from django.core.cache import cache

    assert cache_reachable()  # nothing has failed yet
    assert cache.get("anything") is None
    assert not cache_reachable()


def test_a_lookup_while_redis_is_down_says_it_is_briefly_unavailable(client, person, redis_down):  # noqa: F811
    for work in (True, False):  # by proof of work, and by the arithmetic answer
        response = lookup(client, work=work)
        html = response.content.decode()
        assert response.status_code == 503 and response["Retry-After"] == "120"
        assert UNAVAILABLE in html
        assert "chưa đúng hoặc đã hết hạn" not in html and "quá nhiều lần" not in html
        assert "7901234567" not in html
        assert 'value="nguyen van duc"' in html  # what was typed is kept
    assert not CodeLookupAudit.objects.exists()


def test_a_search_that_cannot_be_counted_is_refused_as_unavailable_not_as_too_many(
        client, person, redis_down, monkeypatch):  # noqa: F811
    monkeypatch.setattr("accounts.forms_challenge.challenge_spend", lambda **kwargs: True)
    response = lookup(client)
    html = response.content.decode()
    assert response.status_code == 503 and UNAVAILABLE in html and "quá nhiều lần" not in html
    assert "7901234567" not in html and not CodeLookupAudit.objects.exists()
