"""Officers enter and correct benefit records: give their groups the benefits permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_groups


def grant(apps, schema_editor):
    config = apps.get_app_config("benefits")
    config.models_module = getattr(config, "models_module", None) or True
    create_permissions(config, verbosity=0, apps=apps)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("benefits", "0002_seed_salary_adjustments"), ("participation", "0002_officer_permissions")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
