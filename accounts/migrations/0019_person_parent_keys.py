"""The folded keys of a person's mother's and father's names (fold, as name_key), so the BHXH-code
lookup compares the parent's name typed in its query instead of on every namesake it reads. Filled
for the people already recorded by 0020_person_parent_keys_filled, a migration of its own."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0018_officers_view_employers'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='father_key',
            field=models.CharField(default='', editable=False, max_length=100, verbose_name='khóa tên cha'),
        ),
        migrations.AddField(
            model_name='person',
            name='mother_key',
            field=models.CharField(default='', editable=False, max_length=100, verbose_name='khóa tên mẹ'),
        ),
    ]
