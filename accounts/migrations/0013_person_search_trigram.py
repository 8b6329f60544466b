"""Trigram indexes for the officers' admin search of persons (vssid_portal.admin.FoldedKeySearch):
each word is looked for anywhere in the folded name (`name_key LIKE '%word%'`), the BHXH code and
the ID number (`UPPER(code) LIKE UPPER('%word%')`, Django's icontains). With an index on each of
the three, PostgreSQL answers among millions of persons without reading the whole table.
PostgreSQL only (pg_trgm, as the lookups' indexes)."""

from django.db import migrations

from vssid_portal.migration_sql import run_on_postgresql

INDEXES = {
    "accounts_person_name_trgm": "name_key gin_trgm_ops",
    "accounts_person_code_trgm": "upper(bhxh_code::text) gin_trgm_ops",
    "accounts_person_id_number_trgm": "upper(id_number::text) gin_trgm_ops",
}


class Migration(migrations.Migration):
    dependencies = [("accounts", "0012_ascii_digits")]

    operations = [
        run_on_postgresql(
            ["CREATE EXTENSION IF NOT EXISTS pg_trgm",
             *(f"CREATE INDEX IF NOT EXISTS {name} ON accounts_person USING gin ({key})" for name, key in INDEXES.items())],
            [f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
        ),
    ]
