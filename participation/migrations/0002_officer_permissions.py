"""Officers enter and correct periods: give their groups the participation permissions."""

from django.db import migrations

from accounts.roles import sync_groups_operation


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial"), ("accounts", "0004_officer_groups")]
    operations = [sync_groups_operation("participation")]
