"""Groups for officers and clinic staff, with only the permissions they need."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Cán bộ BHXH cơ sở": ["view_registration", "decide_registration", "view_person"],
    "Cán bộ BHXH tỉnh": ["view_registration", "decide_registration", "view_person"],
    "Nhân viên cơ sở KCB": [],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    config = apps.get_app_config("accounts")
    config.models_module = config.models_module if hasattr(config, "models_module") else True
    create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_registration"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
