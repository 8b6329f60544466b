"""Working hours of agencies, the arrears flag of employers, and trigram indexes for search.

The indexes serve `search_key LIKE '%word%'` (the lookups' accent-insensitive search) on
PostgreSQL; SQLite has no trigram index and searches the same folded column without one.
"""

from django.db import migrations, models

TABLES = ["lookup_agency", "lookup_medicalfacility", "lookup_employer", "lookup_collectionpoint"]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} USING gin (search_key gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("lookup", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="working_hours",
            field=models.CharField(
                blank=True, default="Thứ Hai – Thứ Sáu: 7:30–11:30, 13:00–16:30", max_length=200, verbose_name="giờ làm việc"
            ),
        ),
        migrations.AddField(
            model_name="employer",
            name="in_arrears",
            field=models.BooleanField(default=False, verbose_name="đang nợ đóng BHXH"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
