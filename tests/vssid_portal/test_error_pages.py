"""The error pages a visitor can reach leave a way on: a link home, not only the hotline."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser


def _main(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S).group(0)


@pytest.mark.django_db
def test_too_many_requests_page_links_home_and_help(rf):
    from allauth.core.internal.ratelimit import handler429

    request = rf.get("/tai-khoan/dang-nhap/")
    request.user = AnonymousUser()
    main = _main(handler429(request).content.decode())
    assert '<a href="/">Về trang chủ</a>' in main
    assert '<a href="/ho-tro/">Hỗ trợ</a>' in main


def test_server_error_page_links_home_in_its_content(rf):
    from vssid_portal.views import server_error

    main = _main(server_error(rf.get("/")).content.decode())
    assert '<a href="/">Về trang chủ</a>' in main


@pytest.mark.django_db
def test_form_posted_without_cookies_asks_to_allow_them():
    """Cookies off: the browser never sends the CSRF cookie, so reloading and sending again would
    fail the same way; the page says what to change."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/tra-cuu/ma-so-bhxh/", {"full_name": "Nguyễn Văn Đức"})
    assert response.status_code == 403
    main = _main(response.content.decode())
    assert "Trình duyệt không gửi cookie" in main
    assert "cho phép cookie" in main
    assert "Phiên làm việc đã hết hạn" not in main


@pytest.mark.django_db
def test_form_posted_with_a_stale_token_says_the_form_expired():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.get("/tra-cuu/ma-so-bhxh/")  # the CSRF cookie is set
    response = client.post("/tra-cuu/ma-so-bhxh/", {"csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    main = _main(response.content.decode())
    assert "Phiên làm việc đã hết hạn" in main
    assert "cho phép cookie" not in main
