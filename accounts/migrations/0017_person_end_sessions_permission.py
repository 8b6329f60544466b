"""Officers of both levels may log the people their agencies manage out of every device (the
action on the person's admin page): the permission, given to their groups (listed in accounts.roles)."""

from django.db import migrations

from accounts.roles import sync_groups_operation


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0016_registration_files_moved'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='person',
            options={'ordering': ['bhxh_code'], 'permissions': [('end_sessions_person', 'Được đăng xuất người tham gia khỏi mọi thiết bị')], 'verbose_name': 'người tham gia', 'verbose_name_plural': 'người tham gia'},
        ),
        sync_groups_operation("accounts"),
    ]
