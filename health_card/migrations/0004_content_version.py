from django.db import migrations

from accounts.content_version import drop_person_version_triggers, person_version_triggers
from lookup.reference_version import drop_reference_version_trigger, reference_version_trigger
from vssid_portal.migration_sql import run_on_postgresql

REFERENCE_TABLES = ["health_card_benefitlevel", "health_card_beneficiarygroup"]


class Migration(migrations.Migration):
    dependencies = [
        ("health_card", "0003_beneficiary_groups"),
        ("accounts", "0008_person_content_version"),
        ("lookup", "0005_reference_version"),
    ]
    operations = [
        run_on_postgresql(
            [
                *person_version_triggers("health_card_card", "SELECT person_id FROM {rows}"),
                *(reference_version_trigger(table) for table in REFERENCE_TABLES),
            ],
            [
                *drop_person_version_triggers("health_card_card"),
                *(drop_reference_version_trigger(table) for table in REFERENCE_TABLES),
            ],
        ),
    ]
