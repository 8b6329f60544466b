"""Indexes for the officers' search of visits (VisitAdmin). A visit's reference, typed by its clinic
in any case, is looked for from its start in any case, `UPPER(reference) LIKE UPPER('word%')`
(Django's istartswith), which a B-tree on UPPER(reference) with text_pattern_ops serves (the unique
B-tree on facility and reference does not). An ICD-10 code is stored in capitals (visit_icd10_shape):
the search looks for it as `diagnosis_code LIKE 'J06%'`, which a B-tree with varchar_pattern_ops
serves. PostgreSQL only, as the person's trigram indexes (the embedded SQLite reads its small table)."""

from django.db import migrations

from vssid_portal.migration_sql import run_on_postgresql

INDEXES = {
    "visit_reference_upper_idx": "upper(reference::text) text_pattern_ops",
    "visit_diagnosis_code_idx": "diagnosis_code varchar_pattern_ops",
}


class Migration(migrations.Migration):
    dependencies = [("health_card", "0006_check_time_index")]

    operations = [
        run_on_postgresql(
            [f"CREATE INDEX IF NOT EXISTS {name} ON health_card_visit ({key})" for name, key in INDEXES.items()],
            [f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
        ),
    ]
