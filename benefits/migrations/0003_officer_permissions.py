"""Officers enter and correct benefit records: give their groups the benefits permissions."""

from django.db import migrations

from accounts.roles import sync_groups_operation


class Migration(migrations.Migration):
    dependencies = [("benefits", "0002_seed_salary_adjustments"), ("participation", "0002_officer_permissions")]
    operations = [sync_groups_operation("benefits")]
