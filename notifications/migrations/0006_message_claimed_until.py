"""The delivery lease of a message: a nullable column, added without rewriting the table."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0005_message_link'),
    ]

    operations = [
        migrations.AddField(
            model_name='message',
            name='claimed_until',
            field=models.DateTimeField(blank=True, editable=False, help_text='Một lần gửi đang giữ tin nhắn đến lúc này; lần gửi khác không gửi trùng trước lúc đó.', null=True, verbose_name='giữ để gửi đến'),
        ),
    ]
