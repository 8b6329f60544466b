"""Each registration's own random folder for its files (accounts.models.registration_upload_path).
The rows already there get theirs, and their files moved into it, in 0016."""

from django.db import migrations, models

import accounts.models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0014_registration_open_per_submitter'),
    ]

    operations = [
        # Empty on the rows already there: a callable default would give them all one folder.
        migrations.AddField(
            model_name='registration',
            name='file_folder',
            field=models.CharField(default='', editable=False, max_length=32, verbose_name='thư mục tệp'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='file_folder',
            field=models.CharField(default=accounts.models.new_file_folder, editable=False, max_length=32,
                                   verbose_name='thư mục tệp'),
        ),
    ]
