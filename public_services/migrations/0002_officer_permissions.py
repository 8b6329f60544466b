"""Officers receive and process filings: give their groups the public_services permissions."""

from django.db import migrations

from accounts.roles import sync_groups_operation


class Migration(migrations.Migration):
    dependencies = [("public_services", "0001_initial"), ("accounts", "0004_officer_groups")]
    operations = [sync_groups_operation("public_services")]
