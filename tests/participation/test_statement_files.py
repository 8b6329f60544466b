"""A statement build that fails after its PDF and snapshot were written leaves neither behind."""

import os

import pytest
from django.core.files.storage import default_storage

from participation.models import Statement
from participation.services import statements as service

from .test_statement import LIST_URL, employers, owner, owner_client  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_a_failed_statement_build_leaves_no_file_and_the_retry_leaves_its_two(owner_client, monkeypatch):
    owner_client.post(LIST_URL)  # the build waits for the commit, which this test's transaction never makes
    statement = Statement.objects.get()
    real_save = Statement.save

    def failing_save(self, *args, **kwargs):
        if "pdf" in (kwargs.get("update_fields") or ()):
            raise RuntimeError("the database went away after the files were written")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Statement, "save", failing_save)
    with pytest.raises(RuntimeError):
        service.statement_build(statement_id=statement.pk, verify_base="https://testserver")
    monkeypatch.setattr(Statement, "save", real_save)

    built = service.statement_build(statement_id=statement.pk, verify_base="https://testserver")
    folder = os.path.dirname(default_storage.path(built.pdf.name))
    stem = os.path.basename(built.pdf.name).removesuffix(".pdf")
    assert sorted(os.listdir(folder)) == [f"{stem}.json", f"{stem}.pdf"]
