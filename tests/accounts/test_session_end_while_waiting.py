"""In Chromium: a page that checks in the background for a document being built (static/js/poll.js)
when its session is ended from elsewhere — a login on another device — goes to the login page,
which tells why, as the next click would."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from accounts.adapter import UserSessionsAdapter
from participation.models import Statement
from participation.services import statements
from tests.accounts.test_otp import make_citizen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENDED = "Tài khoản của bạn vừa được đăng nhập trên thiết bị khác"


@pytest.mark.parametrize("fragment", ["", "#noi-dung"])  # the skip link (templates/base.html) adds one
def test_a_waiting_page_whose_session_ends_elsewhere_lands_on_the_login_page_with_the_reason(
        page, live_server, reference_data, settings, fragment):
    user = make_citizen()
    client = Client()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": live_server.url}])
    statement = Statement.objects.create(code=statements.code_new(), person=user.person, requested_by=user)
    page.goto(f"{live_server.url}/qua-trinh-tham-gia/xac-nhan/{statement.pk}/{fragment}")
    assert page.locator("[data-poll]").count() == 1  # not built: the page checks every few seconds

    session = UserSession.objects.get(session_key=key)  # recorded by the page visit
    UserSessionsAdapter().end_sessions([session], reason="logged_in_elsewhere")

    page.wait_for_url("**/tai-khoan/dang-nhap/**", timeout=15_000)
    page.get_by_text(ENDED).wait_for(timeout=5_000)
