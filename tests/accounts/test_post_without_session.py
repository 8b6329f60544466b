"""A form sent once its session has ended (a logout in another tab, a time-out) reaches no page for
logged-in users: the browser lands on the login page told that nothing was sent nor kept, to log in
and fill the form again. Nothing of what was typed is kept without a session."""

import time

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from accounts.sessions import SEEN
from public_services.models import Filing
from tests.public_services.helpers import answers, citizen

pytestmark = pytest.mark.django_db

FORM = "/dich-vu-cong/cap-lai-so-bhxh/"
NOT_SENT = "nội dung vừa nhập chưa được gửi đi và không được lưu lại. Hãy đăng nhập rồi điền lại biểu mẫu."
TYPED = "Mất sổ khi chuyển nhà ở Thủ Đức"


@pytest.fixture
def signed_in(client, reference_data):
    client.force_login(citizen())
    page = client.get(FORM).content.decode()
    return client, page.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]


def sent(client, key):
    return client.post(FORM, {**answers("607A", details=TYPED), "idempotency_key": key}, follow=True)


def test_a_form_sent_after_a_logout_in_another_tab_lands_on_the_login_page_saying_nothing_was_sent(signed_in):
    client, key = signed_in
    client.post(reverse("account_logout"))  # the other tab
    response = sent(client, key)
    html = response.content.decode()
    assert response.redirect_chain[0][0] == f"{reverse('account_login')}?next={FORM}"
    assert "Phiên làm việc đã kết thúc (bạn đã đăng xuất hoặc hết thời gian)" in html and NOT_SENT in html
    assert TYPED not in html and not any(TYPED in str(value) for value in client.session.values())
    assert not Filing.objects.exists()
    # the message is told once, and only of a form sent: a page merely opened says nothing of it
    assert NOT_SENT not in client.get(FORM, follow=True).content.decode()


def test_a_form_sent_after_the_time_out_is_told_the_time_out_and_that_nothing_was_sent(signed_in):
    client, key = signed_in
    session = client.session
    session[SEEN] = time.time() - 2 * 60 * 60
    session.save()
    html = sent(client, key).content.decode()
    assert "Bạn đã không thao tác trong" in html and "Nội dung vừa nhập chưa được gửi đi" in html
    assert "Phiên làm việc đã kết thúc (bạn đã đăng xuất" not in html  # the reason is told once
    assert not Filing.objects.exists()


def test_the_language_switched_on_the_login_page_is_not_told_of_a_form_lost(client, reference_data):
    """The header's language form posts to the switch, which leads back to the login page: a visitor
    switching the language there sent no form that needed a login, and is told nothing of one."""
    html = client.post(reverse("set_language"), {"language": "vi", "next": reverse("account_login")},
                       follow=True).content.decode()
    assert "Phiên làm việc đã kết thúc" not in html and "chưa được gửi đi" not in html


def test_after_the_time_out_the_language_switch_and_the_keep_going_button_are_told_the_time_out_alone(signed_in):
    """Neither carries anything typed: the page says the session ended, not that a form was lost."""
    client, _key = signed_in
    for post in (lambda: client.post(reverse("set_language"), {"language": "vi", "next": FORM}, follow=True),
                 lambda: client.post(reverse("accounts_auth:session_keepalive"), follow=True)):
        session = client.session
        session[SEEN] = time.time() - 2 * 60 * 60
        session.save()
        html = post().content.decode()
        assert "Bạn đã không thao tác trong" in html and "chưa được gửi đi" not in html
        client.force_login(User.objects.get(username="7901234567"))  # logged in again for the next


ENDED = "Phiên làm việc đã kết thúc (bạn đã đăng xuất hoặc hết thời gian)"


def test_a_browser_that_never_logged_in_is_only_asked_to_log_in(client, reference_data):
    """A post to a page for logged-in users from a browser that sent no session cookie: it never had a
    session to end, so the login page says nothing of one, nor of a form lost."""
    response = client.post(FORM, {**answers("607A", details=TYPED), "idempotency_key": "k" * 22}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[0][0] == f"{reverse('account_login')}?next={FORM}"
    assert ENDED not in html and "chưa được gửi đi" not in html
    assert not Filing.objects.exists()


def test_a_session_cookie_the_store_no_longer_holds_is_told_the_session_ended(signed_in):
    """The session gone from the store (ended elsewhere without a note, expired there): the browser still
    sends its cookie, and a form sent with it is told that the session ended and nothing was sent."""
    from django.contrib.sessions.backends.cached_db import SessionStore

    client, key = signed_in
    SessionStore(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).delete()
    html = sent(client, key).content.decode()
    assert ENDED in html and NOT_SENT in html
    assert not Filing.objects.exists()


def test_a_form_sent_after_a_logout_that_took_the_session_cookie_away_is_told_the_session_ended(signed_in):
    """A logout deletes the session cookie: a browser drops it, sending none with the form of a tab left
    open. The logout left the mark of a session ended, so that form is still told that nothing was sent."""
    client, key = signed_in
    mark = client.post(reverse("account_logout")).cookies["session_ended"]  # the other tab
    assert mark["httponly"] and mark["samesite"] == settings.SESSION_COOKIE_SAMESITE
    assert not mark["max-age"] and not mark["expires"]  # gone when the browser closes, as the session cookie
    del client.cookies[settings.SESSION_COOKIE_NAME]  # as a browser does with a cookie deleted
    html = sent(client, key).content.decode()
    assert ENDED in html and NOT_SENT in html
    assert not Filing.objects.exists()
