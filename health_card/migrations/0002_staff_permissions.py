"""Officers and clinic staff enter medical visits (and whatever else accounts.roles lists for
health_card): give their groups the health_card permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_groups


def grant(apps, schema_editor):
    config = apps.get_app_config("health_card")
    config.models_module = getattr(config, "models_module", None) or True
    create_permissions(config, verbosity=0, apps=apps)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("health_card", "0001_initial"), ("benefits", "0003_officer_permissions")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
