"""One number that moves with every write to the reference data shown on personal pages (names and
addresses of agencies, wards, provinces, facilities, employers): `portal_reference_version`, a
sequence moved by statement triggers. It starts at the creation time in microseconds, so a
database built again never reuses the numbers of the one before it (pages cached in Redis under
them would otherwise come back). PostgreSQL only; see accounts/content_version.py."""

from django.db import migrations

TABLES = ["lookup_province", "lookup_ward", "lookup_agency", "lookup_medicalfacility", "lookup_employer"]

FUNCTION = """
CREATE SEQUENCE IF NOT EXISTS portal_reference_version;
SELECT setval('portal_reference_version', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint);
CREATE OR REPLACE FUNCTION portal_bump_reference_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('portal_reference_version');
    RETURN NULL;
END $$;
"""


def reference_trigger(table: str) -> str:
    return (f"CREATE TRIGGER {table}_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION portal_bump_reference_version()")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        for table in TABLES:
            schema_editor.execute(reference_trigger(table))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_reference_version ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS portal_bump_reference_version()")
        schema_editor.execute("DROP SEQUENCE IF EXISTS portal_reference_version")


class Migration(migrations.Migration):
    dependencies = [("lookup", "0004_faq_news_seed")]
    operations = [migrations.RunPython(forwards, backwards)]
