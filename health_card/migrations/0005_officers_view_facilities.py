"""Officers search clinics in the card and API-token forms (an autocomplete, which asks for the
view permission on clinics): give their groups lookup.view_medicalfacility (accounts.roles)."""

from django.db import migrations

from accounts.roles import sync_groups_operation


class Migration(migrations.Migration):
    dependencies = [("health_card", "0004_content_version"), ("lookup", "0005_reference_version")]
    operations = [sync_groups_operation("lookup", "health_card")]
