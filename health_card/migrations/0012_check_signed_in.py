"""A card check records whether a login made it, so the access log still reads a check whose login
was deleted since as a signed-in user's, not a guest's. Checks logged before with a login still
there are marked so; those whose login is gone already cannot be told apart."""

from django.db import migrations, models


def mark_signed_in(apps, schema_editor):
    CardCheck = apps.get_model("health_card", "CardCheck")
    CardCheck.objects.filter(checked_by__isnull=False).update(signed_in=True)


class Migration(migrations.Migration):

    dependencies = [
        ('health_card', '0011_visit_cost_caps'),
    ]

    operations = [
        migrations.AddField(
            model_name='cardcheck',
            name='signed_in',
            field=models.BooleanField(default=False, verbose_name='đã đăng nhập'),
        ),
        migrations.RunPython(mark_signed_in, migrations.RunPython.noop),
    ]
