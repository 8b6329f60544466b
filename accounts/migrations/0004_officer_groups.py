"""Groups for officers and clinic staff, with only the permissions they need."""

from django.db import migrations

from accounts.roles import sync_groups_operation


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_registration"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [sync_groups_operation("accounts")]
