from django.db import migrations

from lookup.reference_version import (
    DROP_SEQUENCE_AND_FUNCTION,
    SEQUENCE_AND_FUNCTION,
    drop_reference_version_trigger,
    reference_version_trigger,
)
from vssid_portal.migration_sql import run_on_postgresql

TABLES = ["lookup_province", "lookup_ward", "lookup_agency", "lookup_medicalfacility", "lookup_employer"]


class Migration(migrations.Migration):
    dependencies = [("lookup", "0004_faq_news_seed")]
    operations = [
        run_on_postgresql(
            [SEQUENCE_AND_FUNCTION, *(reference_version_trigger(table) for table in TABLES)],
            [*(drop_reference_version_trigger(table) for table in TABLES), *DROP_SEQUENCE_AND_FUNCTION],
        ),
    ]
