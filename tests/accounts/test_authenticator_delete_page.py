"""The admin's confirmation before deleting authenticators (one, or the selected) says what will go:
an authenticator app takes its holder's recovery codes with it when the holder keeps no other app
(accounts.services.security.authenticators_delete), so the codes are listed under the app and
counted in the summary, each kind by its name."""

import html as html_lib
import re

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from tests.accounts.helpers import make_person
from tests.accounts.test_mfa_pages import with_authenticator_app
from tests.accounts.test_otp import make_citizen

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def confirmation(client, response) -> str:
    assert response.status_code == 200
    page = html_lib.unescape(response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<(?!/?(?:ul|li)\b)[^>]+>", "", page.split("<h2>Tóm tắt</h2>", 1)[1]
                                      .split("<form", 1)[0]))


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    return client


def test_deleting_an_app_lists_the_recovery_codes_that_go_with_it(superuser_client):
    citizen = make_citizen()
    with_authenticator_app(citizen)
    totp = Authenticator.objects.get(user=citizen, type=Authenticator.Type.TOTP)
    page = confirmation(superuser_client, superuser_client.get(reverse("admin:mfa_authenticator_delete", args=[totp.pk])))
    assert "<li>Ứng dụng xác thực (TOTP): 1</li> <li>Mã khôi phục: 1</li>" in page, page
    assert "Ứng dụng xác thực (TOTP) <ul> <li>Phương thức xác thực hai bước: Mã khôi phục</li> </ul>" in page, page


def test_delete_selected_lists_the_codes_of_each_app_whose_holder_keeps_no_other(superuser_client):
    first = make_citizen()
    second = User.objects.create_user("7901234568", password="x-Pass-2026!", person=make_person(
        "7901234568", "Trần Văn Minh", id_number="079088012399"))
    with_authenticator_app(first)
    with_authenticator_app(second)
    second_codes = Authenticator.objects.get(user=second, type=Authenticator.Type.RECOVERY_CODES)
    # The first holder's app, and the second holder's codes alone: the second keeps the app.
    selected = [Authenticator.objects.get(user=first, type=Authenticator.Type.TOTP).pk, second_codes.pk]
    page = confirmation(superuser_client, superuser_client.post(
        reverse("admin:mfa_authenticator_changelist"), {"action": "delete_selected", "_selected_action": selected}))
    assert "<li>Ứng dụng xác thực (TOTP): 1</li> <li>Mã khôi phục: 2</li>" in page, page
    assert page.count("Mã khôi phục</li>") == 2 and page.count("<ul> <li>Phương thức xác thực hai bước: Mã khôi phục") == 1


def test_deleting_an_app_and_its_codes_together_lists_the_codes_once(superuser_client):
    citizen = make_citizen()
    with_authenticator_app(citizen)
    selected = list(Authenticator.objects.filter(user=citizen).values_list("pk", flat=True))
    page = confirmation(superuser_client, superuser_client.post(
        reverse("admin:mfa_authenticator_changelist"), {"action": "delete_selected", "_selected_action": selected}))
    assert "<li>Ứng dụng xác thực (TOTP): 1</li> <li>Mã khôi phục: 1</li>" in page, page
    assert page.count("Mã khôi phục</li>") == 1
