"""A card check records whether a login made it, so the access log still reads a check whose login
was deleted since as a signed-in user's, not a guest's. The column comes with a default kept in the
database: adding it rewrites no row, and a check logged by a worker still on the code before it is
written as not signed in instead of failing its NOT NULL. Checks logged before are marked in 0013."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('health_card', '0011_visit_cost_caps'),
    ]

    operations = [
        migrations.AddField(
            model_name='cardcheck',
            name='signed_in',
            field=models.BooleanField(db_default=False, default=False, verbose_name='đã đăng nhập'),
        ),
    ]
