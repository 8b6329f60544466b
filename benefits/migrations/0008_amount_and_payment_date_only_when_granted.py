"""Only a decided claim carries an amount or a monthly amount, and only a paid one a payment date.
The records are a large table (every claim and pensioner of the country), and one stored before these
rules may break them (an amount typed on a claim still examined, a payment date typed ahead of the
payment): the constraints are added for the rows written from then on, as 0007's caps are, without
reading the table under its lock nor stopping the deploy; a record stored before that breaks them is
kept as it was until it is corrected, which saving it then asks for (the model's clean)."""

from django.db import migrations, models

from vssid_portal.migration_sql import AddConstraintForRowsWritten


class Migration(migrations.Migration):

    dependencies = [
        ('benefits', '0007_amount_at_most'),
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
