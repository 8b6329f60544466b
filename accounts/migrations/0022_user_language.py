"""The language a login chose on the portal, that its notices are written in; Vietnamese for every existing login."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0021_user_officer_person'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='language',
            field=models.CharField(choices=[('vi', 'Tiếng Việt'), ('en', 'English')], default='vi', help_text='Ngôn ngữ người dùng chọn trên cổng; tin nhắn, email và thông báo gửi tài khoản này viết bằng ngôn ngữ đó.', max_length=8, verbose_name='ngôn ngữ nhận thông báo'),
        ),
    ]
