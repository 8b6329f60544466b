"""Only a decided claim carries an amount or a monthly amount, and only a paid one a payment date.

Before the rules, the portal already ignored what they now refuse, so it is cleared first:
- a payment date on a record not paid: no page, notice nor step shows it (BenefitRecord.paid_date
  and the timeline read it only once paid) and "mark paid" records the day of the payment;
- an amount or a monthly amount on a claim received, examined or refused: no page shows it
  (benefits/_amounts.html shows amounts only once decided), no notice names it, and the monthly
  benefits that the procedures change are the decided ones only (selectors.monthly_benefits_of).
Kept, they would make every later save of the record fail on a rule the officer saving it may not be
able to mend (a change of paying place completed by the new agency's officer). They were only
typed, never granted nor paid: nothing the person was told changes, so no audit row nor notice is
written. A record whose amount is above 0007's caps keeps its payment date: clearing it would be
refused by those caps, and the record is corrected as they ask.

The records are a large table (every claim and pensioner of the country): it is cleared 10,000 ids
at a time, each batch committed on its own (as health_card 0013), so a record written meanwhile waits
for one batch at most; stopped midway, it is run again from the start. The constraints follow in
0009, a migration of its own, whole or not at all. Undone, the cleared values stay cleared."""

from django.db import migrations
from django.db.models import Q

from vssid_portal.migration_sql import id_batches

DECIDED = ("approved", "paid")
# 0007's caps: a row above them is refused by any update.
WITHIN_CAPS = (Q(amount__isnull=True) | Q(amount__lte=10_000_000_000)) & (
    Q(monthly_amount__isnull=True) | Q(monthly_amount__lte=1_000_000_000))


def clear_not_granted(apps, schema_editor):
    for batch in id_batches(apps.get_model("benefits", "BenefitRecord")):
        batch.exclude(status__in=DECIDED).filter(
            Q(amount__isnull=False) | Q(monthly_amount__isnull=False) | Q(paid_on__isnull=False),
        ).update(amount=None, monthly_amount=None, paid_on=None)
        batch.filter(WITHIN_CAPS, status="approved", paid_on__isnull=False).update(paid_on=None)


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('benefits', '0007_amount_at_most'),
    ]

    operations = [
        migrations.RunPython(clear_not_granted, migrations.RunPython.noop),
    ]
