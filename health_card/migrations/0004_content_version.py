from django.db import migrations

from accounts.content_version import drop_person_version_triggers, person_version_triggers, run_on_postgresql

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
                *(f"CREATE TRIGGER {table}_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                  "FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_reference_version()" for table in REFERENCE_TABLES),
            ],
            [
                *drop_person_version_triggers("health_card_card"),
                *(f"DROP TRIGGER IF EXISTS {table}_reference_version ON {table}" for table in REFERENCE_TABLES),
            ],
        ),
    ]
