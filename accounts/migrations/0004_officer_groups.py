"""Groups for officers and clinic staff, with only the permissions they need."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_groups


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    config = apps.get_app_config("accounts")
    config.models_module = getattr(config, "models_module", None) or True
    create_permissions(config, verbosity=0, apps=apps)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_registration"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
