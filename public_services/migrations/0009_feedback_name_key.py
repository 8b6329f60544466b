"""Feedback gets the accent-folded key of the sender's name (as people have), so the officers'
search finds "Lê Văn Tám" by "le van tam"; feedback already sent gets its key here."""

from django.db import migrations, models

from vssid_portal.text import fold


def fill_name_keys(apps, schema_editor):
    Feedback = apps.get_model("public_services", "Feedback")
    for feedback in Feedback.objects.only("pk", "full_name").iterator():
        Feedback.objects.filter(pk=feedback.pk).update(name_key=fold(feedback.full_name))


class Migration(migrations.Migration):

    dependencies = [
        ('public_services', '0008_document_path_length'),
    ]

    operations = [
        migrations.AddField(
            model_name='feedback',
            name='name_key',
            field=models.CharField(default='', editable=False, max_length=100, verbose_name='khóa tìm kiếm'),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
    ]
