"""Officers search the employer of a participation period, added or corrected (an autocomplete,
which asks for the view permission on employers): give their groups lookup.view_employer (accounts.roles)."""

from django.db import migrations

from accounts.roles import sync_groups_operation


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0017_person_end_sessions_permission'),
    ]

    operations = [sync_groups_operation("lookup")]
