"""A staff login names the officer's own record in the registry (User.officer_person), which their
citizen login, if they have one, logs in as: an officer's staff login that logs in as their record
already names it."""

import django.db.models.deletion
from django.db import migrations, models


def name_the_record_logged_in_as(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(is_staff=True, person__isnull=False, officer_person__isnull=True).update(
        officer_person=models.F("person"))


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0020_person_parent_keys_filled'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='officer_person',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='officer_logins', to='accounts.person', verbose_name='hồ sơ BHXH của cán bộ'),
        ),
        migrations.RunPython(name_the_record_logged_in_as, migrations.RunPython.noop),
    ]
