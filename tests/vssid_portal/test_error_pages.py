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
