"""Private file storage: a folder outside every public URL.

ID photos and generated PDFs live here. They have no URL of their own: a view that has checked
the requester hands out a signed link (`vssid_portal.files.private_file_url`).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(location=location, file_permissions_mode=0o600, directory_permissions_mode=0o700, **kwargs)

    # Read on every use (not cached) so the folder follows PRIVATE_FILES_ROOT, also in tests.
    @property
    def base_location(self):
        return self._location or settings.PRIVATE_FILES_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL: use vssid_portal.files.private_file_url().")
