"""The accounts in the admin: the person an account logs in as (whose phone receives its login
codes) is set when the account is added and never moved to another person afterwards."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.benefits.helpers import admin_form

from .helpers import make_person

pytestmark = pytest.mark.usefixtures("reference_data")


def change_form(client, url: str) -> dict:
    """What the account's change page posts as it stands: no group or permission chosen, so a browser
    posts nothing for those."""
    return {name: value for name, value in admin_form(client, url, "user_form").items()
            if name not in {"groups", "user_permissions"}}


def test_the_person_of_an_account_is_read_only_on_its_change_page_even_for_a_superuser(db, client):
    person = make_person()
    other = make_person("7901234599", "Lê Thị Hoa", sex=2, id_number="079188012399")
    citizen = User.objects.create_user("7901234567", password="x-Pass-2026!", person=person)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    form = change_form(client, url)
    assert "person" not in form
    assert "7901234567 – Nguyễn Văn Đức" in client.get(url).content.decode()  # shown, not editable

    assert client.post(url, {**form, "person": other.pk, "first_name": "Đức"}).status_code == 302
    citizen.refresh_from_db()
    assert (citizen.person_id, citizen.first_name) == (person.pk, "Đức")


def test_a_citizens_username_the_bhxh_code_is_read_only_and_an_officers_is_not(db, client):
    citizen = User.objects.create_user("7901234567", password="x-Pass-2026!", person=make_person())
    officer = User.objects.create_user("canbo07901", password="x-Pass-2026!", is_staff=True)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    form = change_form(client, url)
    assert "username" not in form
    assert client.post(url, {**form, "username": "7901234599", "first_name": "Đức"}).status_code == 302
    citizen.refresh_from_db()
    assert (citizen.username, citizen.first_name) == ("7901234567", "Đức")  # still logs in with the BHXH code

    url = reverse("admin:accounts_user_change", args=[officer.pk])
    form = change_form(client, url)
    assert client.post(url, {**form, "username": "canbo07901a"}).status_code == 302
    officer.refresh_from_db()
    assert officer.username == "canbo07901a"


def test_an_account_deactivated_in_the_admin_is_logged_out_everywhere_and_stays_out_once_reactivated(db, client):
    """Unticking "active" ends the account's sessions (their rows and stored data): reactivated within
    the idle time, a session kept from before (maybe an attacker's) does not log in again."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session
    from django.test import Client

    citizen = User.objects.create_user("7901888888", password="x-Pass-2026!")
    phone = Client()
    phone.force_login(citizen)
    assert phone.get("/ca-nhan/").status_code == 200
    assert UserSession.objects.filter(user=citizen).exists()
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    form = change_form(client, url)
    assert form.pop("is_active")
    assert client.post(url, form).status_code == 302
    citizen.refresh_from_db()
    assert not citizen.is_active and not UserSession.objects.filter(user=citizen).exists()
    assert not Session.objects.filter(session_key=phone.session.session_key).exists()
    assert client.post(url, {**form, "is_active": "on"}).status_code == 302  # reactivated
    response = phone.get("/ca-nhan/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    assert client.get("/quan-tri/").status_code == 200  # the officer who did it stays logged in
