"""The beneficiary groups and benefit levels of BHYT cards (health_card/beneficiary_data.py)."""

from django.db import migrations

from health_card.beneficiary_data import load


def seed(apps, schema_editor):
    load(apps.get_model("health_card", "BenefitLevel"), apps.get_model("health_card", "BeneficiaryGroup"))


class Migration(migrations.Migration):
    dependencies = [("health_card", "0002_staff_permissions")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
