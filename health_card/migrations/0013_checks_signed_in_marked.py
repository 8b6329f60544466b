"""Checks logged before 0012 with a login still there are marked as signed in; those whose login is
gone already cannot be told apart. The log of checks is a large table written by every card check:
it is marked 10,000 ids at a time, each batch committed on its own, so a check logged meanwhile
waits for one batch at most, not for the whole table."""

from django.db import migrations

from vssid_portal.migration_sql import id_batches


def mark_signed_in(apps, schema_editor):
    for batch in id_batches(apps.get_model("health_card", "CardCheck")):
        batch.filter(checked_by__isnull=False, signed_in=False).update(signed_in=True)


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('health_card', '0012_check_signed_in'),
    ]

    operations = [
        migrations.RunPython(mark_signed_in, migrations.RunPython.noop, elidable=True),
    ]
