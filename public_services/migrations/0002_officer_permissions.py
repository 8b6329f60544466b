"""Officers receive and process filings: give their groups the public_services permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_groups


def grant(apps, schema_editor):
    config = apps.get_app_config("public_services")
    config.models_module = getattr(config, "models_module", None) or True
    create_permissions(config, verbosity=0, apps=apps)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("public_services", "0001_initial"), ("accounts", "0004_officer_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
