"""allauth's authenticators and user sessions name neither their models nor their fields, so no
catalogue reaches them: the admin's menu, lists and forms read them in Vietnamese all the same, and
the names change no migration."""

import html as html_lib

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_admin_names_authenticators_and_user_sessions_in_vietnamese(client, reference_data):
    admin_user = User.objects.create_superuser("quantri", password="x-Pass-2026!")
    Authenticator.objects.create(user=admin_user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.get("/ca-nhan/")  # a tracked session
    session = UserSession.objects.get()
    html = html_lib.unescape("".join(client.get(url).content.decode() for url in [
        "/quan-tri/", "/quan-tri/mfa/authenticator/", "/quan-tri/usersessions/usersession/",
        f"/quan-tri/usersessions/usersession/{session.pk}/change/",
    ]))
    for english in ("Authenticators", "User sessions", "Created at", "Last used at", "Last seen at", "User agent",
                    ">Ip<", ">Type<", "Data:"):
        assert english not in html, english
    for vietnamese in ("Phương thức xác thực hai bước", "Phiên đăng nhập", "Tạo lúc", "Dùng lần cuối lúc",
                       "Hoạt động lần cuối lúc", "Trình duyệt", "Địa chỉ IP", "Loại"):
        assert vietnamese in html, vietnamese


def test_the_names_change_no_migration():
    call_command("makemigrations", "mfa", "usersessions", check=True, dry_run=True, verbosity=0)


def test_the_admin_makes_no_authenticator_and_shows_no_secret(client, reference_data):
    """An authenticator is made only by its holder on the security page: the admin offers no add
    page, and an authenticator's page shows neither its secret nor its stored data."""
    admin_user = User.objects.create_superuser("quantri", password="x-Pass-2026!")
    totp = Authenticator.objects.create(user=admin_user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert client.get("/quan-tri/mfa/authenticator/add/").status_code == 403
    assert client.post("/quan-tri/mfa/authenticator/add/", {"user": admin_user.pk, "type": "totp",
                                                             "data": "{}"}).status_code == 403
    assert Authenticator.objects.count() == 1
    assert "/quan-tri/mfa/authenticator/add/" not in client.get("/quan-tri/mfa/authenticator/").content.decode()
    response = client.get(f"/quan-tri/mfa/authenticator/{totp.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "JBSWY3DPEHPK3PXP" not in page and 'name="data"' not in page
    assert "Tạo lúc" in page  # the rest of the record is still shown
    assert 'name="_save"' not in page  # a page to read, not a form whose Save would change nothing
    assert client.post(f"/quan-tri/mfa/authenticator/{totp.pk}/change/", {"type": "recovery_codes"}).status_code == 403
