"""The user of each request comes from the cache (accounts.selectors.user_for_session); every
save or delete of the user is seen by the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.accounts.test_otp import make_citizen

pytestmark = pytest.mark.django_db

BARE_PAGE = "/"  # no query of its own for a citizen but the notice badge


def user_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BARE_PAGE).status_code == 200
    return sum('FROM "accounts_user"' in q["sql"] for q in queries)


def test_user_is_read_once_then_from_the_cache(client):
    client.force_login(make_citizen())
    assert user_queries(client) == 1
    assert user_queries(client) == 0
    assert user_queries(client) == 0


def test_a_deactivated_account_is_logged_out_on_its_next_request(client):
    user = make_citizen()
    client.force_login(user)
    assert user_queries(client) == 1 and user_queries(client) == 0
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get("/ca-nhan/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_password_set_elsewhere_ends_the_session_at_once(client):
    user = make_citizen()
    client.force_login(user)
    assert client.get("/ca-nhan/").status_code == 200
    user.set_password("Mat-khau-moi-2026!")
    user.save()
    assert client.get("/ca-nhan/").status_code == 302


def test_a_deleted_account_is_not_served_from_the_cache(client):
    user = make_citizen()
    client.force_login(user)
    assert client.get("/ca-nhan/").status_code == 200
    person = user.person
    user.delete()
    person.delete()
    assert client.get("/ca-nhan/").status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


def test_the_cached_user_carries_no_permissions_of_an_earlier_request(client):
    """Permissions are read per request by Django's backend, never pickled with the user."""
    from django.contrib.auth.models import Permission

    user = make_citizen(is_staff=True)
    client.force_login(user)
    user_queries(client)
    user.user_permissions.add(Permission.objects.get(codename="view_person"))
    from accounts.selectors import user_for_session

    cached = user_for_session(user.pk)
    assert not hasattr(cached, "_perm_cache") and cached.has_perm("accounts.view_person")


def test_clinic_staff_come_with_their_facility(reference_data):
    from accounts.selectors import user_for_session
    from lookup.models import MedicalFacility

    facility = MedicalFacility.objects.order_by("code").first()
    staff = User.objects.create_user("nhanvienkcb", password="x-Strong-Pass-2026", facility=facility)
    user_for_session(staff.pk)  # read and cached
    with CaptureQueriesContext(connection) as queries:
        assert user_for_session(staff.pk).facility.name == facility.name
    assert len(queries) == 0
