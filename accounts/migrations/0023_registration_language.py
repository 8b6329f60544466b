"""The language of the pages a registration was sent from, that its answers and the login it opens are written in;
Vietnamese for every registration sent before it was kept."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0022_user_language'),
    ]

    operations = [
        migrations.AddField(
            model_name='registration',
            name='language',
            field=models.CharField(choices=[('vi', 'Tiếng Việt'), ('en', 'English')], default='vi', editable=False, help_text='Ngôn ngữ của trang người đăng ký dùng để gửi đăng ký; kết quả và tài khoản được duyệt dùng ngôn ngữ này.', max_length=8, verbose_name='ngôn ngữ đăng ký'),
        ),
    ]
