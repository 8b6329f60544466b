"""Provinces are listed by their proper name: "Thành phố Hà Nội" among the H's, no longer every
city under T (lookup.models.province_sort_key)."""

import re

from django.db import migrations

from vssid_portal.text import normalize_name, sort_key

# As lookup.models.province_sort_key had it when this migration was written.
PROVINCE_TYPE_PREFIX = re.compile(r"^(?:thành phố|tỉnh) ", re.IGNORECASE)


def province_sort_key(name: str) -> str:
    return sort_key(PROVINCE_TYPE_PREFIX.sub("", normalize_name(name)))


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
