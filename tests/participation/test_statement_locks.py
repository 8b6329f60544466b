"""A statement's PDF is built with the statement's row locked (one build of it at a time), not its
person's, which it is read with: a filing sent for the person while the PDF is drawn commits at once,
its check of the person key (FOR KEY SHARE) waiting for no lock of the person's row held for the
seconds WeasyPrint takes."""

import pytest
from django.db import connection

from participation.models import Statement
from participation.services import statements
from public_services.models import Filing
from tests.db_locks import paused_while
from tests.public_services.helpers import citizen, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_filing_sent_while_the_persons_statement_is_drawn_waits_for_no_lock(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time, so no commit waits for a row")
    owner = citizen()
    statement = Statement.objects.create(code=statements.code_new(), person=owner.person, requested_by=owner)
    # paused where the build holds its lock, while the PDF is drawn
    outcome, waited = paused_while(
        statements, "render_pdf",
        lambda: statements.statement_build(statement_id=statement.pk, verify_base="https://vssid.example.vn"),
        lambda: submit(owner, "607A"), names=("build", "filing"))

    assert isinstance(outcome["build"], Statement), outcome
    assert isinstance(outcome["filing"], Filing), outcome
    assert not waited, "the filing's commit waited for the statement's build"
    assert Statement.objects.get(pk=statement.pk).status == Statement.Status.READY
