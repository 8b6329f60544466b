"""The clinic verify page's two forms each end in a button named for what it checks, the scanned QR
or the typed card details, in Vietnamese and English: a screen reader listing the page's buttons
heard "Xác thực" twice and could not tell which form either sent."""

import re

import pytest
from django.conf import settings

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import logged_in

pytestmark = pytest.mark.django_db

URL = "/xac-thuc/the-bhyt/"


def submit_buttons(response) -> dict[str, str]:
    """Each form's way of checking (its hidden "cach") and the text of its submit button."""
    forms = re.findall(r"<form\b.*?</form>", response.content.decode(), re.S)
    return {re.search(r'name="cach" value="(\w+)"', form).group(1):
            re.sub(r"\s+", " ", re.search(r'<button class="button" type="submit">(.*?)</button>', form, re.S).group(1))
            for form in forms if 'name="cach"' in form}


@pytest.mark.parametrize(("language", "scan", "typed"), [
    ("vi", "Xác thực mã QR", "Xác thực thông tin thẻ"),
    ("en", "Verify the QR code", "Verify the card details"),
])
def test_the_scan_and_the_typed_check_have_buttons_of_their_own_names(clinic_user, language, scan, typed):
    client = logged_in(clinic_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert submit_buttons(client.get(URL)) == {"quet": scan, "nhap": typed}


def test_the_public_page_names_its_one_button_for_the_scanned_qr(client):
    assert submit_buttons(client.get(URL)) == {"quet": "Xác thực mã QR"}
