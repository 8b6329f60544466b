"""Django's own models as the admin names them inside its sentences: the permission pickers and
the delete confirmations read "Được thêm nhóm", "Được xem quyền", "muốn xóa nhóm", and a deleted
group's permissions and members are listed by what they are, not as Django's join-table rows."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission

from accounts.admin import PermissionChoiceField
from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("app_label", "codename", "label"), [
    ("auth", "add_group", "Xác thực và ủy quyền | nhóm | Được thêm nhóm"),
    ("auth", "view_permission", "Xác thực và ủy quyền | quyền | Được xem quyền"),
    ("admin", "change_logentry", "Quản trị website | mục nhật ký thao tác | Được sửa mục nhật ký thao tác"),
    ("sessions", "delete_session", "Phiên làm việc | phiên | Được xóa phiên"),
])
def test_the_pickers_name_djangos_models_with_vietnamese_nouns(app_label, codename, label):
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    assert PermissionChoiceField(queryset=Permission.objects.all()).label_from_instance(permission) == label


def test_the_group_delete_confirmation_lists_the_groups_permissions_and_members(client):
    group = Group.objects.create(name="Cán bộ thử")
    group.permissions.add(Permission.objects.get(codename="view_person"))
    member = User.objects.create_user("canbothu", password="x-Pass-2026!", is_staff=True)
    member.groups.add(group)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get(f"/quan-tri/auth/group/{group.pk}/delete/").content.decode()
    assert "Bạn có chắc là muốn xóa nhóm" in page
    assert "<li>Quyền của nhóm: 1</li>" in page and "<li>Nhóm của tài khoản: 1</li>" in page
    assert "<li>Quyền của nhóm: Cán bộ thử – Tài khoản và người tham gia | người tham gia | Được xem người tham gia</li>" in page
    assert "<li>Nhóm của tài khoản: canbothu – Cán bộ thử</li>" in page
    assert "object (" not in page and "group-permission" not in page


def test_an_english_admin_names_the_permissions_and_a_deleted_groups_rows_in_english(client, settings):
    """The Vietnamese are held above; the group's name, stored, stays as written."""
    from django.utils import translation

    group = Group.objects.create(name="Cán bộ thử")
    group.permissions.add(Permission.objects.get(codename="view_person"))
    member = User.objects.create_user("canbothu", password="x-Pass-2026!", is_staff=True)
    member.groups.add(group)
    permission = Permission.objects.get(content_type__app_label="auth", codename="add_group")
    with translation.override("en"):
        assert PermissionChoiceField(queryset=Permission.objects.all()).label_from_instance(permission) == (
            "Authentication and Authorization | group | Can add group")
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    settings.LANGUAGE_CODE = "en"
    page = client.get(f"/quan-tri/auth/group/{group.pk}/delete/").content.decode()
    assert "<li>Group permissions: 1</li>" in page and "<li>Account groups: 1</li>" in page
    assert ("<li>Group permission: Cán bộ thử – Accounts and insured persons | insured person | Can view insured "
            "person</li>") in page
    assert "<li>Account group: canbothu – Cán bộ thử</li>" in page


def test_the_portals_own_permissions_read_as_their_models_declare_them_in_the_admins_language(client, settings):
    """Stored in Vietnamese by migrate, an English admin read "Cấp lại hoặc thu hồi thẻ BHYT" among English
    permissions; the Vietnamese admin reads them as stored."""
    from django.utils import translation

    field = PermissionChoiceField(queryset=Permission.objects.all())
    reissue = Permission.objects.get(codename="reissue_card")
    decide = Permission.objects.get(codename="decide_registration")
    with translation.override("en"):
        assert field.label_from_instance(reissue) == (
            "Health insurance card | health insurance card | Can reissue or revoke health insurance cards")
        assert field.label_from_instance(decide).endswith("| Can approve or refuse registrations")
    with translation.override("vi"):
        assert field.label_from_instance(reissue) == "Thẻ BHYT | thẻ BHYT | Cấp lại hoặc thu hồi thẻ BHYT" == str(reissue)
    group = Group.objects.create(name="Cán bộ thử")
    group.permissions.add(reissue)
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    settings.LANGUAGE_CODE = "en"
    page = client.get(f"/quan-tri/auth/group/{group.pk}/delete/").content.decode()
    assert ("<li>Group permission: Cán bộ thử – Health insurance card | health insurance card | Can reissue or revoke "
            "health insurance cards</li>") in page
