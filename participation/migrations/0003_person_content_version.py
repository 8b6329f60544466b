from django.db import migrations

from accounts.content_version import drop_person_version_triggers, person_version_triggers
from vssid_portal.migration_sql import run_on_postgresql


class Migration(migrations.Migration):
    dependencies = [("participation", "0002_officer_permissions"), ("accounts", "0008_person_content_version")]
    operations = [
        run_on_postgresql(
            person_version_triggers("participation_period", "SELECT person_id FROM {rows}"),
            drop_person_version_triggers("participation_period"),
        ),
    ]
