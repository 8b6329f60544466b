"""The user of each request comes from the cache (accounts.selectors.user_for_session), with
their permissions when they are an officer or clinic staff; every save or delete of the user,
and every change that gives or takes a permission, is seen by the very next request."""

import pytest
from django.contrib.auth.models import Group, Permission
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


def has_perm_queries(user_id, perm) -> tuple[bool, int]:
    from accounts.selectors import user_for_session

    with CaptureQueriesContext(connection) as queries:
        allowed = user_for_session(user_id).has_perm(perm)
    return allowed, len(queries)


def test_staff_permissions_come_with_the_cached_user(client):
    user = make_citizen(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_person"))
    client.force_login(user)
    user_queries(client)  # read and cached, with the permissions
    assert has_perm_queries(user.pk, "accounts.view_person") == (True, 0)
    assert has_perm_queries(user.pk, "accounts.change_person") == (False, 0)


def test_a_citizen_is_cached_without_a_permission_query(client):
    user = make_citizen()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        client.get(BARE_PAGE)
    assert not any("auth_permission" in q["sql"] for q in queries)


@pytest.fixture
def cached_staff():
    from accounts.selectors import user_for_session

    user = make_citizen(is_staff=True)
    group = Group.objects.create(name="Kiểm tra quyền")
    group.permissions.add(Permission.objects.get(codename="view_person"))
    user_for_session(user.pk)  # cached without the group's permission
    assert has_perm_queries(user.pk, "accounts.view_person") == (False, 0)
    return user, group


GRANTS = {
    "user.groups.add": lambda user, group, perm: user.groups.add(group),
    "group.user_set.add": lambda user, group, perm: group.user_set.add(user),
    "user.user_permissions.add": lambda user, group, perm: user.user_permissions.add(perm),
    "permission.user_set.add": lambda user, group, perm: perm.user_set.add(user),
}


@pytest.mark.parametrize("name", sorted(GRANTS))
def test_a_permission_given_is_seen_at_once(cached_staff, name):
    user, group = cached_staff
    GRANTS[name](user, group, Permission.objects.get(codename="view_person"))
    assert has_perm_queries(user.pk, "accounts.view_person")[0] is True


REMOVALS = {
    "user.groups.remove": lambda user, group, perm: user.groups.remove(group),
    "user.groups.clear": lambda user, group, perm: user.groups.clear(),
    "group.user_set.remove": lambda user, group, perm: group.user_set.remove(user),
    "group.user_set.clear": lambda user, group, perm: group.user_set.clear(),
    "group.permissions.remove": lambda user, group, perm: group.permissions.remove(perm),
    "group.permissions.clear": lambda user, group, perm: group.permissions.clear(),
    "permission.group_set.remove": lambda user, group, perm: perm.group_set.remove(group),
    "permission.group_set.clear": lambda user, group, perm: perm.group_set.clear(),
    "group.delete": lambda user, group, perm: group.delete(),
}


@pytest.mark.parametrize("name", sorted(REMOVALS))
def test_a_permission_taken_away_is_seen_at_once(name):
    from accounts.selectors import user_for_session

    user = make_citizen(is_staff=True)
    perm = Permission.objects.get(codename="view_person")
    group = Group.objects.create(name="Kiểm tra quyền")
    group.permissions.add(perm)
    user.groups.add(group)
    user_for_session(user.pk)
    assert has_perm_queries(user.pk, "accounts.view_person") == (True, 0)
    REMOVALS[name](user, group, perm)
    assert has_perm_queries(user.pk, "accounts.view_person")[0] is False


def test_a_deleted_permission_is_seen_at_once():
    from django.contrib.contenttypes.models import ContentType

    from accounts.selectors import user_for_session

    user = make_citizen(is_staff=True)
    perm = Permission.objects.create(codename="tam_thoi", name="Tạm thời",
                                     content_type=ContentType.objects.get_for_model(User))
    user.user_permissions.add(perm)
    user_for_session(user.pk)
    assert has_perm_queries(user.pk, "accounts.tam_thoi") == (True, 0)
    perm.delete()
    assert has_perm_queries(user.pk, "accounts.tam_thoi")[0] is False


def test_clinic_staff_come_with_their_facility(reference_data):
    from accounts.selectors import user_for_session
    from lookup.models import MedicalFacility

    facility = MedicalFacility.objects.order_by("code").first()
    staff = User.objects.create_user("nhanvienkcb", password="x-Strong-Pass-2026", facility=facility)
    user_for_session(staff.pk)  # read and cached
    with CaptureQueriesContext(connection) as queries:
        assert user_for_session(staff.pk).facility.name == facility.name
    assert len(queries) == 0
