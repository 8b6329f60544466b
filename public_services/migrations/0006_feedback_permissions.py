"""Officers of both levels read and answer the feedback sent to their agencies: sync their groups
with the two permissions (listed in accounts.roles, so a later sync keeps them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_groups


def grant(apps, schema_editor):
    config = apps.get_app_config("public_services")
    config.models_module = getattr(config, "models_module", None) or True
    create_permissions(config, verbosity=0, apps=apps)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("public_services", "0005_feedback"), ("accounts", "0004_officer_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
