"""Officers of both levels read and answer the feedback sent to their agencies: sync their groups
with the two permissions (listed in accounts.roles, so a later sync keeps them)."""

from django.db import migrations

from accounts.roles import sync_groups_operation


class Migration(migrations.Migration):
    dependencies = [("public_services", "0005_feedback"), ("accounts", "0004_officer_groups")]
    operations = [sync_groups_operation("public_services")]
