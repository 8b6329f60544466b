"""Provinces and wards listed in Vietnamese dictionary order (vssid_portal.text.sort_key)."""

from django.db import migrations, models

from vssid_portal.text import sort_key


def fill_sort_keys(apps, schema_editor):
    for model_name in ("Province", "Ward"):
        model = apps.get_model("lookup", model_name)
        rows = list(model.objects.only("pk", "name"))
        for row in rows:
            row.sort_key = sort_key(row.name)
        model.objects.bulk_update(rows, ["sort_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("lookup", "0006_faq_news_real_menu_labels")]

    operations = [
        migrations.AddField(model_name="province", name="sort_key",
                            field=models.CharField(default="", editable=False, max_length=301), preserve_default=False),
        migrations.AddField(model_name="ward", name="sort_key",
                            field=models.CharField(default="", editable=False, max_length=301), preserve_default=False),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AlterModelOptions(name="province", options={
            "ordering": ["sort_key"], "verbose_name": "tỉnh/thành phố", "verbose_name_plural": "tỉnh/thành phố"}),
        migrations.AlterModelOptions(name="ward", options={
            "ordering": ["sort_key"], "verbose_name": "phường/xã", "verbose_name_plural": "phường/xã"}),
    ]
