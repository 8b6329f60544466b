"""A statement's build is waited for from when it was asked for: the request, or the last retry. A
statement made before was last asked for when it was requested, so it starts from `created_at`."""

import django.utils.timezone
from django.db import migrations, models


def from_the_request(apps, schema_editor):
    Statement = apps.get_model("participation", "Statement")
    Statement.objects.update(build_started_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('participation', '0009_base_at_most'),
    ]

    operations = [
        migrations.AddField(
            model_name='statement',
            name='build_started_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False,
                                       verbose_name='bắt đầu tạo lúc'),
        ),
        migrations.RunPython(from_the_request, migrations.RunPython.noop),
    ]
