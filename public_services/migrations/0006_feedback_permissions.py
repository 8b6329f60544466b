"""Officers of both levels read and answer feedback: add the two permissions to their groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Cán bộ BHXH cơ sở", "Cán bộ BHXH tỉnh"]
CODENAMES = ["view_feedback", "answer_feedback"]


def grant(apps, schema_editor):
    config = apps.get_app_config("public_services")
    config.models_module = getattr(config, "models_module", None) or True
    create_permissions(config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="public_services", codename__in=CODENAMES))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("public_services", "0005_feedback"), ("accounts", "0004_officer_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
