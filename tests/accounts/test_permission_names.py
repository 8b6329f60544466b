"""Django's own models as the admin names them inside its sentences: the permission pickers and
the delete confirmations read "Được thêm nhóm", "Được xem quyền", "muốn xóa nhóm"."""

import pytest
from django.contrib.auth.models import Permission

from accounts.admin import PermissionChoiceField

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

