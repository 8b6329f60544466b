"""Clinic API tokens expire. A token made before gets a year from its making, as a new one does;
one that would be past that year already, or within GRACE_DAYS of it, gets GRACE_DAYS from the
deploy instead: a clinic's software is not cut off by the deploy itself, and its IT has three
months to ask the agency for a new token."""

import datetime

from django.db import migrations, models
from django.utils import timezone

TOKEN_DAYS = 365
GRACE_DAYS = 90


def set_expiry(apps, schema_editor):
    FacilityApiToken = apps.get_model("health_card", "FacilityApiToken")
    earliest = timezone.now() + datetime.timedelta(days=GRACE_DAYS)
    for token in FacilityApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at").iterator():
        expires_at = max(token.created_at + datetime.timedelta(days=TOKEN_DAYS), earliest)
        FacilityApiToken.objects.filter(pk=token.pk).update(expires_at=expires_at)


class Migration(migrations.Migration):

    dependencies = [
        ('health_card', '0008_card_end_date_help'),
    ]

    operations = [
        migrations.AddField(
            model_name='facilityapitoken',
            name='expires_at',
            field=models.DateTimeField(null=True, editable=False, verbose_name='hết hạn lúc'),
        ),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
    ]
