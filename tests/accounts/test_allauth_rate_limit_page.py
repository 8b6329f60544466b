"""A page of allauth's refused by one of its limits (ACCOUNT_RATE_LIMITS) answers 429 with the
portal's own page (templates/429.html, the one the portal's limits use too), saying how long is
left before the visitor may try again when the limit can tell, in Vietnamese or in English."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)


def _past_the_login_limit(client):
    for _ in range(30):  # "login": 30/m/ip
        assert client.post(reverse("account_login"), {"login": "7901234567", "password": "sai"}).status_code == 200
    return client.post(reverse("account_login"), {"login": "7901234567", "password": "sai"})


def test_the_login_page_past_its_limit_says_how_long_to_wait(client):
    response = _past_the_login_limit(client)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    main = _main(response)
    assert "<h1>Quá nhiều yêu cầu</h1>" in main
    assert "Hãy thử lại sau 1 phút." in main and "Hãy thử lại sau ít phút." not in main
    assert 'class="site-header"' in response.content.decode()


def test_the_page_is_in_english_for_an_english_visitor(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _past_the_login_limit(client)
    assert response.status_code == 429
    main = _main(response)
    assert "Try again in 1 minute." in main and "Quá nhiều" not in main


def test_reauthentication_past_its_limit_counts_the_login_s_own_limit(client):
    user = get_user_model().objects.create_user("7901234567", password="x-Pass-2026!")
    client.force_login(user)
    for _ in range(10):  # "reauthenticate": 10/m/user
        client.post("/tai-khoan/nhap-lai-mat-khau/", {"password": "sai"})
    response = client.post("/tai-khoan/nhap-lai-mat-khau/", {"password": "sai"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Hãy thử lại sau 1 phút." in _main(response)


def test_a_refusal_whose_wait_is_unknown_says_a_few_minutes(rf):
    from allauth.core.internal.ratelimit import respond_429
    from django.contrib.auth.models import AnonymousUser

    request = rf.post("/tai-khoan/dang-nhap/")
    request.user = AnonymousUser()
    response = respond_429(request)
    assert response.status_code == 429 and not response.has_header("Retry-After")
    assert "Hãy thử lại sau ít phút." in _main(response)
