import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0014_registration_open_per_submitter'),
        ('lookup', '0010_province_sort_key_without_type'),
        ('participation', '0005_admin_order_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='period',
            index=models.Index(fields=['agency', '-from_month', 'kind', '-id'], name='period_agency_order_idx'),
        ),
        # The new index leads with the agency: the foreign key's own index goes, and only it (Django's
        # AlterField would also drop and re-add the foreign key, checking every row again).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='period',
                    name='agency',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='periods', to='lookup.agency', verbose_name='cơ quan BHXH quản lý'),
                ),
            ],
            database_operations=[migrations.RunSQL(
                'DROP INDEX IF EXISTS "participation_period_agency_id_ebb32def"',
                reverse_sql='CREATE INDEX "participation_period_agency_id_ebb32def" ON "participation_period" ("agency_id")',
            )],
        ),
    ]
