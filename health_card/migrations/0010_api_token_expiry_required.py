"""Every clinic API token has an expiry (set by 0009): a new one a year unless the officer picks
another. Apart from 0009 so that PostgreSQL changes the column after the rows' update commits."""

from django.db import migrations, models

import health_card.models.card


class Migration(migrations.Migration):

    dependencies = [
        ('health_card', '0009_api_token_expiry'),
    ]

    operations = [
        migrations.AlterField(
            model_name='facilityapitoken',
            name='expires_at',
            field=models.DateTimeField(db_index=True, default=health_card.models.card.token_expiry_default, editable=False, verbose_name='hết hạn lúc'),
        ),
    ]
