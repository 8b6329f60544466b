"""An index for the officers' search of participation periods by an employer's code (PeriodAdmin): the
code is looked for from its start in any case, `UPPER(code) LIKE UPPER('word%')` (Django's
istartswith), which a B-tree on UPPER(code) with text_pattern_ops serves (the unique B-tree on the
code does not). PostgreSQL only, as the trigram indexes (the embedded SQLite reads its small table)."""

from django.db import migrations

from vssid_portal.migration_sql import run_on_postgresql


class Migration(migrations.Migration):
    dependencies = [("lookup", "0010_province_sort_key_without_type")]

    operations = [
        run_on_postgresql(
            ["CREATE INDEX IF NOT EXISTS employer_code_upper_idx ON lookup_employer (upper(code::text) text_pattern_ops)"],
            ["DROP INDEX IF EXISTS employer_code_upper_idx"],
        ),
    ]
