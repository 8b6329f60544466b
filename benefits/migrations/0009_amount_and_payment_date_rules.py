"""Only a decided claim carries an amount or a monthly amount, and only a paid one a payment date:
added for the rows written from then on, as 0007's caps are, without reading the table under its
lock (0008 cleared what the portal already ignored): a row written by the old code during the deploy
does not stop it, and saving it then asks for it to be corrected (the model's clean)."""

from django.db import migrations, models

from vssid_portal.migration_sql import AddConstraintForRowsWritten


class Migration(migrations.Migration):

    dependencies = [
        ('benefits', '0008_amount_and_payment_date_only_when_granted'),
    ]

    operations = [
        AddConstraintForRowsWritten(
            model_name='benefitrecord',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ('approved', 'paid')), models.Q(('amount__isnull', True), ('monthly_amount__isnull', True)), _connector='OR'), name='benefit_amount_only_when_decided'),
        ),
        AddConstraintForRowsWritten(
            model_name='benefitrecord',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'paid'), ('paid_on__isnull', True), _connector='OR'), name='benefit_paid_on_only_when_paid'),
        ),
    ]
