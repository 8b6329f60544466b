from django.db import migrations, models

from accounts.content_version import (
    BUMP_FUNCTION,
    PERSON_TRIGGER,
    drop_person_version_triggers,
    person_version_triggers,
)
from vssid_portal.migration_sql import run_on_postgresql

PARENT_PERSON = "SELECT u.person_id FROM accounts_user u JOIN {rows} r ON u.id = r.parent_id"


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0007_code_lookup"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="content_version",
            field=models.PositiveBigIntegerField(db_default=0, editable=False),
        ),
        run_on_postgresql(
            [
                BUMP_FUNCTION,
                PERSON_TRIGGER,
                # The dashboard lists a parent's children and pending child registrations.
                *person_version_triggers("accounts_guardianship", "SELECT child_id FROM {rows} UNION " + PARENT_PERSON),
                *person_version_triggers("accounts_registration", "SELECT person_id FROM {rows} UNION " + PARENT_PERSON),
            ],
            [
                *drop_person_version_triggers("accounts_registration"),
                *drop_person_version_triggers("accounts_guardianship"),
                "DROP TRIGGER IF EXISTS accounts_person_content_version ON accounts_person",
                "DROP FUNCTION IF EXISTS portal_person_version()",
                "DROP FUNCTION IF EXISTS portal_bump_person_versions()",
            ],
        ),
    ]
