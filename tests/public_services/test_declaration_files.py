"""A declaration build that fails after its PDF was written (a database error, a worker killed
before the commit) leaves no file behind: the retry writes the one file the row points to."""

import os

import pytest
from django.core.files.storage import default_storage

from public_services.models import Filing
from public_services.services import filing_build_declaration
from tests.conftest import save_fails_on

from .helpers import owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_failed_declaration_build_leaves_no_file_and_the_retry_leaves_one(owner):
    filing = submit(owner)
    with save_fails_on(Filing, "declaration_pdf"), pytest.raises(RuntimeError):
        filing_build_declaration(filing_id=filing.pk)

    built = filing_build_declaration(filing_id=filing.pk)
    folder = os.path.dirname(default_storage.path(built.declaration_pdf.name))
    assert sorted(name for name in os.listdir(folder) if name.endswith(".pdf")) == [
        os.path.basename(built.declaration_pdf.name)]
