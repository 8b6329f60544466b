"""A statement's PDF is built with the statement's row locked (one build of it at a time), not its
person's, which it is read with: a filing sent for the person while the PDF is drawn commits at once,
its check of the person key (FOR KEY SHARE) waiting for no lock of the person's row held for the
seconds WeasyPrint takes."""

import functools
import threading
from unittest import mock

import pytest
from django.db import connection

from participation.models import Statement
from participation.services import statements
from public_services.models import Filing
from tests.db_locks import run_into, wait_until_blocked
from tests.public_services.helpers import citizen, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_filing_sent_while_the_persons_statement_is_drawn_waits_for_no_lock(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks: it writes one transaction at a time, so no commit waits for a row")
    owner = citizen()
    statement = Statement.objects.create(code=statements.code_new(), person=owner.person, requested_by=owner)
    drawing, go = threading.Event(), threading.Event()
    outcome, citizen_pid = {}, []
    render_pdf = statements.render_pdf

    def paused(*args, **kwargs):  # the build holds its lock here, while the PDF is drawn
        if threading.current_thread() is building:
            drawing.set()
            go.wait(10)
        return render_pdf(*args, **kwargs)

    def citizen_files():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            citizen_pid.append(cursor.fetchone()[0])
        return submit(owner, "607A")

    run = functools.partial(run_into, outcome)
    with mock.patch.object(statements, "render_pdf", paused):
        building = threading.Thread(target=run, args=("build", lambda: statements.statement_build(
            statement_id=statement.pk, verify_base="https://vssid.example.vn")))
        building.start()
        assert drawing.wait(10)
        filing = threading.Thread(target=run, args=("filing", citizen_files))
        filing.start()
        waited = wait_until_blocked(filing, citizen_pid, seconds=5)
        go.set()
        building.join(30)
        filing.join(15)

    assert isinstance(outcome["build"], Statement), outcome
    assert isinstance(outcome["filing"], Filing), outcome
    assert not waited, "the filing's commit waited for the statement's build"
    assert Statement.objects.get(pk=statement.pk).status == Statement.Status.READY
