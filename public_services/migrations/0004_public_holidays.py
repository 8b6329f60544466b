"""Public holidays of 2025–2027 (the HOLIDAYS table in public_services/calendar.py)."""

from django.db import migrations

from public_services.calendar import load


def seed(apps, schema_editor):
    load(apps.get_model("public_services", "Holiday"))


class Migration(migrations.Migration):
    dependencies = [("public_services", "0003_holiday")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
