"""Officers and clinic staff enter medical visits (and whatever else accounts.roles lists for
health_card): give their groups the health_card permissions."""

from django.db import migrations

from accounts.roles import sync_groups_operation


class Migration(migrations.Migration):
    dependencies = [("health_card", "0001_initial"), ("benefits", "0003_officer_permissions")]
    operations = [sync_groups_operation("health_card")]
