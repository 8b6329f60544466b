"""The permissions named in the admin's language, in the pickers of the groups and accounts and in the
rows of the tables Django makes for their many-to-many fields; the groups' admin."""


from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy, pgettext_lazy

from ..models import User

PERMISSION_ACTIONS = {"add": gettext_lazy("Được thêm %(model)s"), "change": gettext_lazy("Được sửa %(model)s"),
                      "delete": gettext_lazy("Được xóa %(model)s"), "view": gettext_lazy("Được xem %(model)s")}


def permission_label(permission) -> str:
    """Django's own permissions (add, change, delete, view) read in the admin's language with the
    model's name, not as the English name Django stored; the portal's own permissions read as their
    model declares them."""
    action, _, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in PERMISSION_ACTIONS and model is not None and model_name == model._meta.model_name:
        return f"{permission.content_type} | {PERMISSION_ACTIONS[action] % {'model': model._meta.verbose_name}}"
    # The portal's own permissions by the name their model declares, in the admin's language (the
    # stored name is the Vietnamese one migrate wrote); a permission no model declares, by its stored name.
    declared = dict(model._meta.permissions).get(permission.codename) if model is not None else None
    return f"{permission.content_type} | {declared}" if declared is not None else str(permission)


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    """The permission pickers of the groups and accounts, each permission named by `permission_label`."""

    def label_from_instance(self, permission):
        return permission_label(permission)


def _name_relation_rows(through, name, plural, describe) -> None:
    """A table Django makes for a many-to-many field, named in Vietnamese: a delete confirmation
    lists its rows ("Quyền của nhóm: Cán bộ BHXH cơ sở – … | Được xem tài khoản") instead of
    "Quan hệ group-permission: Group_permissions object (2)"."""
    through._meta.verbose_name, through._meta.verbose_name_plural = name, plural
    through.__str__ = describe


_name_relation_rows(Group.permissions.through, gettext_lazy("quyền của nhóm"),
                    pgettext_lazy("số nhiều", "quyền của nhóm"),
                    lambda row: f"{row.group} – {permission_label(row.permission)}")
_name_relation_rows(User.groups.through, gettext_lazy("nhóm của tài khoản"),
                    pgettext_lazy("số nhiều", "nhóm của tài khoản"), lambda row: f"{row.user} – {row.group}")
_name_relation_rows(User.user_permissions.through, gettext_lazy("quyền của tài khoản"),
                    pgettext_lazy("số nhiều", "quyền của tài khoản"),
                    lambda row: f"{row.user} – {permission_label(row.permission)}")


class PermissionsInVietnamese:
    """An admin whose form picks permissions (a group's, an account's) names them in Vietnamese."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionChoiceField
            kwargs.setdefault("queryset", db_field.remote_field.model.objects.select_related("content_type"))
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionsInVietnamese, DjangoGroupAdmin):
    pass
