"""The language a message is written in; Vietnamese for every message written before, as they all were."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0006_message_claimed_until'),
    ]

    operations = [
        migrations.AddField(
            model_name='message',
            name='language',
            field=models.CharField(choices=[('vi', 'Tiếng Việt'), ('en', 'English')], default='vi', help_text='Ngôn ngữ viết tiêu đề và nội dung.', max_length=8, verbose_name='ngôn ngữ'),
        ),
    ]
