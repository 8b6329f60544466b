import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0014_registration_open_per_submitter'),
        ('benefits', '0004_admin_order_index'),
        ('lookup', '0010_province_sort_key_without_type'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='benefitrecord',
            index=models.Index(fields=['agency', '-received_on', '-id'], name='benefit_agency_order_idx'),
        ),
        # The new index leads with the agency: the foreign key's own index goes, and only it (Django's
        # AlterField would also drop and re-add the foreign key, checking every row again).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='benefitrecord',
                    name='agency',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='benefits', to='lookup.agency', verbose_name='cơ quan BHXH giải quyết'),
                ),
            ],
            database_operations=[migrations.RunSQL(
                'DROP INDEX IF EXISTS "benefits_benefitrecord_agency_id_bd3f1ed0"',
                reverse_sql='CREATE INDEX "benefits_benefitrecord_agency_id_bd3f1ed0" ON "benefits_benefitrecord" ("agency_id")',
            )],
        ),
    ]
