from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('public_services', '0014_filing_due_date_told'),
    ]

    operations = [
        migrations.AddField(
            model_name='filing',
            name='email_confirmed',
            field=models.EmailField(blank=True, default='', editable=False, max_length=254,
                                    verbose_name='email đã xác nhận'),
        ),
    ]
