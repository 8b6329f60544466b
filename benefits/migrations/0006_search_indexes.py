"""Indexes for the officers' search of benefit records (BenefitRecordAdmin): a reference or a
decision number is looked for from its start in any case, `UPPER(col) LIKE UPPER('word%')`
(Django's istartswith), which a B-tree on UPPER(col) with text_pattern_ops serves. PostgreSQL
only, as the person's trigram indexes (the embedded SQLite reads its small table)."""

from django.db import migrations

from vssid_portal.migration_sql import run_on_postgresql

INDEXES = {
    "benefit_reference_upper_idx": "upper(reference::text) text_pattern_ops",
    "benefit_decision_upper_idx": "upper(decision_number::text) text_pattern_ops",
}


class Migration(migrations.Migration):
    dependencies = [("benefits", "0005_agency_order_index")]

    operations = [
        run_on_postgresql(
            [f"CREATE INDEX IF NOT EXISTS {name} ON benefits_benefitrecord ({key})" for name, key in INDEXES.items()],
            [f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
        ),
    ]
