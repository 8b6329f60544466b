"""Provinces are listed by their proper name: "Thành phố Hà Nội" among the H's, no longer every
city under T (lookup.models.province_sort_key)."""

from django.db import migrations

from lookup.models import province_sort_key
from vssid_portal.text import sort_key


def _rewrite(apps, key):
    Province = apps.get_model("lookup", "Province")
    provinces = list(Province.objects.only("pk", "name"))
    for province in provinces:
        province.sort_key = key(province.name)
    Province.objects.bulk_update(provinces, ["sort_key"])


def forwards(apps, schema_editor):
    _rewrite(apps, province_sort_key)


def backwards(apps, schema_editor):
    _rewrite(apps, sort_key)


class Migration(migrations.Migration):
    dependencies = [("lookup", "0009_collection_point_kind_in_search_key")]

    operations = [migrations.RunPython(forwards, backwards)]
