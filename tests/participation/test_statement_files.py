"""A statement build that fails after its PDF and snapshot were written leaves neither behind."""

import os

import pytest
from django.core.files.storage import default_storage

from participation.models import Statement
from participation.services import statements as service
from tests.conftest import save_fails_on

from .test_statement import LIST_URL, employers, owner, owner_client  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_a_failed_statement_build_leaves_no_file_and_the_retry_leaves_its_two(owner_client):
    owner_client.post(LIST_URL)  # the build waits for the commit, which this test's transaction never makes
    statement = Statement.objects.get()
    with save_fails_on(Statement, "pdf"), pytest.raises(RuntimeError):
        service.statement_build(statement_id=statement.pk, verify_base="https://testserver")

    built = service.statement_build(statement_id=statement.pk, verify_base="https://testserver")
    folder = os.path.dirname(default_storage.path(built.pdf.name))
    stem = os.path.basename(built.pdf.name).removesuffix(".pdf")
    assert sorted(os.listdir(folder)) == [f"{stem}.json", f"{stem}.pdf"]
