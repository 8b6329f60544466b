"""A page that comes with an error says so first in its title ("Lỗi: …"), and its messages box is an
alert a screen reader announces with the page load (a status region coming with the page is not)."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def title(html: str) -> str:
    return TITLE.search(html).group(1)


def messages_box(html: str) -> str:
    return re.search(r"<div role=\"\w+\" tabindex=\"-1\" data-messages>", html).group(0)


def test_a_step_refused_after_the_session_ended_has_an_error_title_and_an_alert(client):
    response = client.post("/dang-ky/anh/", {}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [("/dang-ky/", 302)]
    assert title(html) == "Lỗi: Đăng ký tài khoản – Bước 1 – Cổng dịch vụ BHXH số"
    assert messages_box(html) == '<div role="alert" tabindex="-1" data-messages>'


def render_with(*added, template="accounts/registration/declaration.html", **context):
    request = RequestFactory().get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    for level, text in added:
        messages.add_message(request, level, text)
    return render_to_string(template, context, request=request)


def test_a_success_message_leaves_the_title_and_a_status_box():
    html = render_with((messages.SUCCESS, "Đã gửi."))
    assert title(html) == "Đăng ký tài khoản – Bước 1 – Cổng dịch vụ BHXH số"
    assert messages_box(html) == '<div role="status" tabindex="-1" data-messages>'
    assert "Đã gửi." in html


def test_an_error_among_other_messages_prefixes_the_title_once_and_every_message_is_shown():
    html = render_with((messages.INFO, "Một."), (messages.ERROR, "Hai."), (messages.ERROR, "Ba."))
    assert title(html) == "Lỗi: Đăng ký tài khoản – Bước 1 – Cổng dịch vụ BHXH số"
    assert messages_box(html) == '<div role="alert" tabindex="-1" data-messages>'
    assert all(text in html for text in ("Một.", "Hai.", "Ba."))


def test_a_page_whose_own_title_says_error_is_not_prefixed_twice():
    from accounts.forms import DeclarationForm

    form = DeclarationForm(data={})
    assert form.errors
    html = render_with((messages.ERROR, "Hai."), form=form)
    assert title(html) == "Lỗi: Đăng ký tài khoản – Bước 1 – Cổng dịch vụ BHXH số"
