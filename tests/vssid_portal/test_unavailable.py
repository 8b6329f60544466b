"""A refusal by a limit that could not be counted (Redis down) answers 503 with Retry-After, written
in one place for every page that gives it, each page keeping its own message."""

from pathlib import Path

from django.conf import settings
from django.http import HttpResponse

from tests.test_app_boundaries import APPS
from vssid_portal.cache import UNAVAILABLE_RETRY_AFTER


def test_unavailable_instead_answers_503_with_retry_after_and_keeps_the_page():
    from vssid_portal.ratelimit import unavailable_instead

    response = unavailable_instead(HttpResponse("Tạm gián đoạn", status=200))
    assert response.status_code == 503
    assert response["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER)
    assert response.content.decode() == "Tạm gián đoạn"


def test_only_the_portal_limits_write_the_unavailable_answer():
    base = Path(settings.BASE_DIR)
    writers = [str(path.relative_to(base)) for app in APPS for path in sorted((base / app).rglob("*.py"))
               if "UNAVAILABLE_RETRY_AFTER" in path.read_text(encoding="utf-8")]
    assert writers == ["vssid_portal/cache.py", "vssid_portal/ratelimit.py"]
