"""Officers search clinics in the card and API-token forms (an autocomplete, which asks for the
view permission on clinics): give their groups lookup.view_medicalfacility (accounts.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_groups


def grant(apps, schema_editor):
    for label in ("lookup", "health_card"):
        config = apps.get_app_config(label)
        config.models_module = getattr(config, "models_module", None) or True
        create_permissions(config, verbosity=0, apps=apps)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("health_card", "0004_content_version"), ("lookup", "0005_reference_version")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
