"""The card QR page asks for its image again every minute by itself (qr-refresh.js, marked as the
script's own with X-Requested-With: background): those requests are not activity, so a QR page left
open with nobody at it ends at the idle time-out like any other page, and the image request made once
the session has timed out gets the answer every timed-out request gets. A page load still counts."""

import pytest
from django.conf import settings

from accounts.middleware import BACKGROUND_HEADER_VALUE
from tests.accounts.test_otp import clock  # noqa: F401 (a fixture)
from tests.health_card.card_fixtures import *  # noqa: F401,F403 (the fixtures)
from tests.health_card.card_fixtures import logged_in

pytestmark = [pytest.mark.django_db]

IDLE = settings.SESSION_IDLE_TIMEOUT
QR_PAGE, PERSONAL, LOGIN = "/the-bhyt/ma-qr/", "/ca-nhan/", "/tai-khoan/dang-nhap/"
IDLE_MESSAGE = f"Bạn đã không thao tác trong {IDLE // 60} phút"


def refreshed(client, card, minute):
    """The image as the page's script asks for it."""
    return client.get(f"/the-bhyt/{card.pk}/ma-qr.png?t={minute}", HTTP_X_REQUESTED_WITH=BACKGROUND_HEADER_VALUE)


def test_a_qr_page_left_open_ends_at_the_idle_time_out_however_often_its_image_is_refreshed(holder, card, clock):
    client = logged_in(holder)
    assert client.get(QR_PAGE).status_code == 200
    minute = 0
    while (minute + 1) * 60 < IDLE:  # every refresh within the idle time is answered with the QR
        minute += 1
        clock.advance(60)
        response = refreshed(client, card, minute)
        assert response.status_code == 200 and response["Content-Type"] == "image/png", minute
    clock.advance(IDLE - minute * 60 + 1)
    response = refreshed(client, card, minute + 1)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=/the-bhyt/{card.pk}/ma-qr.png")  # as for any page
    page = client.get(PERSONAL, follow=True)
    assert page.redirect_chain[-1][0].startswith(f"{LOGIN}?next=") and IDLE_MESSAGE in page.content.decode()


def test_a_timed_out_image_refresh_is_answered_as_a_timed_out_page_is(holder, card, clock):
    answers = []
    for path, headers in ((f"/the-bhyt/{card.pk}/ma-qr.png", {"HTTP_X_REQUESTED_WITH": BACKGROUND_HEADER_VALUE}),
                          (f"/the-bhyt/{card.pk}/ma-qr.png", {}), (QR_PAGE, {})):
        client = logged_in(holder)
        client.get(QR_PAGE)
        clock.advance(IDLE + 1)
        response = client.get(path, **headers)
        answers.append((response.status_code, response["Location"].replace(path.replace("/", "%2F"), path)))
        assert IDLE_MESSAGE in client.get(LOGIN).content.decode()
        assert client.get(PERSONAL).status_code == 302  # logged out
    assert answers == [(302, f"{LOGIN}?next={path}") for path, _ in
                       ((f"/the-bhyt/{card.pk}/ma-qr.png", 0), (f"/the-bhyt/{card.pk}/ma-qr.png", 0), (QR_PAGE, 0))]


def test_loading_the_qr_page_still_counts_as_activity(holder, card, clock):
    client = logged_in(holder)
    for _ in range(3):  # longer than the idle time in all, a page load within each idle time
        assert client.get(QR_PAGE).status_code == 200
        clock.advance(IDLE - 60)
    assert client.get(PERSONAL).status_code == 200


def test_the_image_loaded_with_the_page_counts_as_activity(holder, card, clock):
    """Without the script's mark, the image is the page's own (the page as loaded, or its image opened
    by the visitor): activity, as before."""
    client = logged_in(holder)
    client.get(QR_PAGE)
    for _ in range(3):
        clock.advance(IDLE - 60)
        assert client.get(f"/the-bhyt/{card.pk}/ma-qr.png").status_code == 200
    assert client.get(PERSONAL).status_code == 200
