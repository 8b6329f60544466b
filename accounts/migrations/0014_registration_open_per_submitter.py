"""One pending registration per submitter instead of per code: the citizen's own, and each
parent's for a child, so that a second parent's registration no longer replaces the first's."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0013_person_search_trigram'),
        ('lookup', '0010_province_sort_key_without_type'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='registration',
            name='registration_one_open_per_code',
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(condition=models.Q(('parent__isnull', True), ('status', 'pending')), fields=('bhxh_code',), name='registration_one_open_per_code'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(condition=models.Q(('parent__isnull', False), ('status', 'pending')), fields=('bhxh_code', 'parent'), name='registration_one_open_per_parent'),
        ),
    ]
