"""A declaration build that fails after its PDF was written (a database error, a worker killed
before the commit) leaves no file behind: the retry writes the one file the row points to."""

import os

import pytest
from django.core.files.storage import default_storage

from public_services.models import Filing
from public_services.services import filing_build_declaration

from .helpers import owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_failed_declaration_build_leaves_no_file_and_the_retry_leaves_one(owner, monkeypatch):
    filing = submit(owner)
    real_save = Filing.save

    def failing_save(self, *args, **kwargs):
        if "declaration_pdf" in (kwargs.get("update_fields") or ()):
            raise RuntimeError("the database went away after the PDF was written")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Filing, "save", failing_save)
    with pytest.raises(RuntimeError):
        filing_build_declaration(filing_id=filing.pk)
    monkeypatch.setattr(Filing, "save", real_save)

    built = filing_build_declaration(filing_id=filing.pk)
    folder = os.path.dirname(default_storage.path(built.declaration_pdf.name))
    assert sorted(name for name in os.listdir(folder) if name.endswith(".pdf")) == [
        os.path.basename(built.declaration_pdf.name)]
