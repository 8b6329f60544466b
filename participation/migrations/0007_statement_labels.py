import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0014_registration_open_per_submitter'),
        ('participation', '0006_agency_order_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='statement',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='tạo lúc'),
        ),
        migrations.AlterField(
            model_name='statement',
            name='issued_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='cấp lúc'),
        ),
        migrations.AlterField(
            model_name='statement',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='statements', to='accounts.person', verbose_name='người tham gia'),
        ),
        migrations.AlterField(
            model_name='statement',
            name='requested_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người yêu cầu'),
        ),
        migrations.AlterField(
            model_name='statement',
            name='status',
            field=models.CharField(choices=[('building', 'Đang tạo'), ('ready', 'Sẵn sàng'), ('failed', 'Lỗi')], default='building', max_length=10, verbose_name='trạng thái'),
        ),
    ]
