"""The files of the registrations made before 0015, moved from the folder named by their reference
(registrations/DK2612ABC234/…) into the registration's own random folder, their names on the row
and on the e-mails that attach the declaration with them.

Files cannot be moved inside a transaction, so this migration is not atomic: each registration is
done and saved on its own. Stopped half way, it can run again: a folder given is kept, a file
already moved is skipped, and a file missing from storage is logged and its name moved all the same
(the name must not keep the reference), never an error."""

import logging
import os
import secrets
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.db import migrations

logger = logging.getLogger(__name__)

FILE_FIELDS = ("portrait", "id_front", "id_back", "declaration_pdf")


def move_files(apps, schema_editor):
    Registration = apps.get_model("accounts", "Registration")
    Message = apps.get_model("notifications", "Message")
    for registration in Registration.objects.order_by("pk").iterator():
        if not registration.file_folder:
            registration.file_folder = secrets.token_hex(16)
            registration.save(update_fields=["file_folder"])  # kept before any file moves into it
        folder = f"registrations/{registration.file_folder}/"
        moved = []
        for field in FILE_FIELDS:
            old = getattr(registration, field).name
            if not old or old.startswith(folder):
                continue
            new = folder + PurePosixPath(old).name
            if default_storage.exists(old):
                if default_storage.exists(new):  # a copy a stopped run may not have finished
                    default_storage.delete(new)
                with default_storage.open(old, "rb") as handle:
                    new = default_storage.save(new, handle)
                default_storage.delete(old)
            elif not default_storage.exists(new):
                logger.warning("registration %s: file %s missing, its name moved to %s", registration.pk, old, new)
            # An e-mail still to send carries the declaration by its name (before the row: a rerun redoes it).
            Message.objects.filter(attachment=old).update(attachment=new)
            setattr(registration, field, new)
            moved.append(field)
        if moved:
            registration.save(update_fields=moved)
        _remove_if_empty(f"registrations/{registration.reference}")


def _remove_if_empty(folder):
    """The folder named by the reference, once its last file has moved out (local storage only)."""
    try:
        os.rmdir(default_storage.path(folder))
    except (NotImplementedError, OSError):  # another storage, files left in it, or no such folder
        pass


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('accounts', '0015_registration_file_folder'),
        ('notifications', '0005_message_link'),
    ]

    operations = [
        migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True),
    ]
