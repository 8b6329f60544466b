import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lookup', '0010_province_sort_key_without_type'),
        ('public_services', '0011_feedback_admin_order_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='feedback',
            index=models.Index(fields=['agency', '-created_at', '-id'], name='ps_feedback_agency_order_idx'),
        ),
        # The new index leads with the agency: the foreign key's own index goes, and only it (Django's
        # AlterField would also drop and re-add the foreign key, checking every row again).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='feedback',
                    name='agency',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='feedback', to='lookup.agency', verbose_name='cơ quan BHXH nhận phản ánh'),
                ),
            ],
            database_operations=[migrations.RunSQL(
                'DROP INDEX IF EXISTS "public_services_feedback_agency_id_2913f357"',
                reverse_sql='CREATE INDEX "public_services_feedback_agency_id_2913f357" ON "public_services_feedback" ("agency_id")',
            )],
        ),
    ]
