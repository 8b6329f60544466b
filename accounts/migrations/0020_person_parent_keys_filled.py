"""The people recorded with a mother's or father's name get its folded key (0019_person_parent_keys),
which the BHXH-code lookup now compares, so a child without an ID number is still found by a parent's
name from the deploy on. The registry is a large table (the country's insured persons): it is filled
10,000 ids at a time, each batch committed on its own (atomic = False), so a write to a person meanwhile
waits for one batch at most; stopped midway, it is run again from the start, the people already filled
left as they are. Each person filled moves their content_version (the trigger of every person write),
so their cached pages are rendered once more. Undone, the keys are dropped with their columns."""

from django.db import migrations
from django.db.models import Q

from vssid_portal.migration_sql import id_batches
from vssid_portal.text import fold


def fill_parent_keys(apps, schema_editor):
    Person = apps.get_model("accounts", "Person")
    for batch in id_batches(Person):
        people = list(batch.filter(Q(mother_name__gt="", mother_key="") | Q(father_name__gt="", father_key=""))
                      .only("mother_name", "father_name"))
        for person in people:
            person.mother_key = fold(person.mother_name or "")
            person.father_key = fold(person.father_name or "")
        Person.objects.bulk_update(people, ["mother_key", "father_key"], batch_size=1000)


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('accounts', '0019_person_parent_keys'),
    ]

    operations = [
        migrations.RunPython(fill_parent_keys, migrations.RunPython.noop, elidable=True),
    ]
