"""Filings recorded before 0015 had every e-mail of theirs sent to the address typed on their form
(data["email"]), which was never asked to confirm it: that address is marked confirmed, so an open
filing goes on being told there instead of falling silent with a status page speaking of a
confirmation e-mail that was never sent. Filings are marked 10,000 ids at a time, each batch
committed on its own (atomic = False), so a citizen's or an officer's step meanwhile waits for one
batch at most; apart from 0015, so that a stop midway is run again from the start, already marked
filings left as they are."""

from django.db import migrations
from django.db.models.fields.json import KT
from django.db.models.functions import Trim

from vssid_portal.migration_sql import id_batches


def mark_typed_confirmed(apps, schema_editor):
    for batch in id_batches(apps.get_model("public_services", "Filing")):
        (batch.filter(email_confirmed="").annotate(typed=Trim(KT("data__email"))).filter(typed__gt="")
         .update(email_confirmed=Trim(KT("data__email"))))


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('public_services', '0015_filing_email_confirmed'),
    ]

    operations = [
        migrations.RunPython(mark_typed_confirmed, migrations.RunPython.noop, elidable=True),
    ]
