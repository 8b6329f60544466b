"""Collection points are found by their kind as the page shows it ("Bưu điện"): the search keys of
the existing rows take the kind's Vietnamese label, as CollectionPoint.search_text now writes it."""

from django.db import migrations
from django.utils import translation

from vssid_portal.text import fold

SEARCH_KEY_LENGTH = 400


def refresh_search_keys(apps, schema_editor):
    CollectionPoint = apps.get_model("lookup", "CollectionPoint")
    with translation.override("vi"):
        labels = {kind: str(label) for kind, label in CollectionPoint._meta.get_field("kind").choices}
    points = list(CollectionPoint.objects.only("pk", "code", "name", "kind", "address"))
    for point in points:
        text = f"{point.code} {point.name} {labels.get(point.kind, point.kind)} {point.address}"
        point.search_key = fold(text)[:SEARCH_KEY_LENGTH]
    CollectionPoint.objects.bulk_update(points, ["search_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("lookup", "0008_ascii_digits")]

    # Backwards the keys keep the kind: one more word to find a row by, harmless.
    operations = [migrations.RunPython(refresh_search_keys, migrations.RunPython.noop)]
