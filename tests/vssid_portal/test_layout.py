"""The header and footer (vssid_portal/templatetags/layout.py): rendered once per language, login
state and menu item, with each request's own values — CSRF token, the address to come back to,
the unread badge — filled in, never another visitor's."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from notifications.models import Message
from notifications.services import send_message
from vssid_portal.templatetags import layout

pytestmark = pytest.mark.django_db

LANGUAGE_FORM = re.compile(r'<form class="lang-form".*?</form>', re.S)
LOGOUT_FORM = re.compile(r'<form class="inline-form" action="/tai-khoan/dang-xuat/".*?</form>', re.S)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def fresh_parts():
    layout._parts.clear()
    yield
    layout._parts.clear()


def header(html: str) -> str:
    return html.split("<header", 1)[1].split("</header>", 1)[0]


def menu_link(html: str, label: str) -> str:
    return re.search(rf'<li><a href="[^"]+"[^>]*>{label}</a></li>', header(html)).group(0)


def citizen(code="7901234567"):
    return get_user_model().objects.create_user(code, password="x-Pass-2026!")


def test_each_visitor_posts_the_header_forms_with_their_own_valid_token():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")  # the header is stored now, with holes
    html = second.get("/").content.decode()
    token = TOKEN.search(LANGUAGE_FORM.search(html).group(0)).group(1)
    assert second.post("/i18n/setlang/", {"language": "vi", "next": "/", "csrfmiddlewaretoken": token}).status_code == 302
    # The first visitor's cookie does not go with the second visitor's token, and the other way round.
    assert first.post("/i18n/setlang/", {"language": "vi", "next": "/", "csrfmiddlewaretoken": token}).status_code == 403


def test_the_logout_form_carries_the_users_token_and_logs_out():
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen())
    client.get("/")
    html = client.get("/tra-cuu/").content.decode()
    token = TOKEN.search(LOGOUT_FORM.search(html).group(0)).group(1)
    assert client.post("/tai-khoan/dang-xuat/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "Đăng nhập" in header(client.get("/").content.decode())


def test_the_language_forms_way_back_is_this_requests_address_escaped(client):
    client.get("/tra-cuu/ma-so-bhxh/")
    html = client.get("/tra-cuu/ma-so-bhxh/?q='x'&trang=2").content.decode()
    assert 'name="next" type="hidden" value="/tra-cuu/ma-so-bhxh/?q=&#x27;x&#x27;&amp;trang=2"' in LANGUAGE_FORM.search(html).group(0)
    html = client.get("/tra-cuu/ma-so-bhxh/").content.decode()
    assert 'name="next" type="hidden" value="/tra-cuu/ma-so-bhxh/"' in LANGUAGE_FORM.search(html).group(0)


@pytest.mark.parametrize(("path", "label", "current"), [
    ("/", "Trang chủ", "page"),
    ("/tra-cuu/", "Tra cứu", "page"),
    ("/tra-cuu/ma-so-bhxh/", "Tra cứu", "true"),
    ("/dich-vu-cong/", "Dịch vụ công", "page"),
    ("/ho-tro/", "Hỗ trợ", "page"),
])
def test_the_menu_marks_the_current_page_or_section(client, path, label, current):
    for other in ("/", "/tra-cuu/", "/tin-tuc/"):
        client.get(other)
    html = client.get(path).content.decode()
    assert f'aria-current="{current}">{label}</a>' in menu_link(html, label)
    assert header(html).count("aria-current=") == 1


@pytest.mark.parametrize(("path", "label", "current"), [
    ("/tai-khoan/dang-nhap/", "Đăng nhập", "page"),
    ("/dang-ky/", "Đăng ký", "page"),
    ("/dang-ky/tra-cuu/", "Đăng ký", "true"),
])
def test_the_login_and_registration_links_are_marked_on_their_pages(client, path, label, current):
    client.get("/")
    html = client.get(path).content.decode()
    assert f'aria-current="{current}">{label}</a>' in menu_link(html, label)
    assert header(html).count("aria-current=") == 1


def test_the_notices_link_is_marked_on_the_notices_and_below_them(client):
    user = citizen()
    client.force_login(user)
    notice = send_message(channel=Message.Channel.INBOX, template="welcome", user=user, idempotency_key="welcome",
                          context={"name": "Nguyễn Văn Đức", "code": user.username})
    client.get("/")
    html = client.get("/thong-bao/").content.decode()
    assert re.search(r'aria-current="page">Thông báo[^<]*(<span class="badge">|</a>)', header(html))
    assert header(html).count("aria-current=") == 1
    html = client.get(f"/thong-bao/{notice.pk}/").content.decode()
    assert 'aria-current="true">Thông báo</a>' in header(html)
    assert header(html).count("aria-current=") == 1


def test_a_page_outside_the_menu_marks_nothing(client):
    client.get("/")
    assert "aria-current" not in header(client.get("/tin-tuc/").content.decode())


def test_languages_and_login_states_do_not_share_a_header():
    visitor, user, english = Client(), Client(), Client()
    user.force_login(citizen())
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for _ in range(2):
        vi, en, logged_in = (header(c.get("/tra-cuu/").content.decode()) for c in (visitor, english, user))
        assert ">Tra cứu</a>" in vi and "Đăng nhập" in vi and "Đăng xuất" not in vi
        assert ">Look up</a>" in en and ">Tra cứu</a>" not in en
        assert "Đăng xuất" in logged_in and "Đăng nhập" not in logged_in


def test_the_unread_badge_is_each_users_own():
    reader, other = citizen("7901234567"), citizen("7901234568")
    send_message(channel=Message.Channel.INBOX, template="welcome", user=reader, idempotency_key="welcome",
                 context={"name": "Nguyễn Văn Đức", "code": reader.username})
    clients = {}
    for user in (other, reader):
        clients[user] = Client()
        clients[user].force_login(user)
    assert '<span class="badge">' not in header(clients[other].get("/").content.decode())
    assert '<span class="badge">1' in header(clients[reader].get("/").content.decode())
    assert '<span class="badge">' not in header(clients[other].get("/").content.decode())


def test_a_changed_setting_is_shown_at_once(client, settings):
    client.get("/")
    settings.PORTAL_HOTLINE = "1900 0000"
    assert ">1900 0000</a>" in client.get("/").content.decode()


def test_a_request_refused_before_authentication_still_gets_the_layout(client, settings):
    settings.ALLOWED_HOSTS = ["vssid.example"]
    response = client.get("/tra-cuu/", headers={"host": "ke-gia-mao.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Yêu cầu không hợp lệ" in html and "Đăng nhập" in header(html)
