"""The writers of several filings at once lock them in key order: the due-date recount after a
holiday change and the admin's "build the declarations again". Locked in whatever order a query
plan reads them, two such writers sharing filings could each hold one the other waits for."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from public_services.models import Filing
from public_services.services import due_dates_recounted
from vssid_portal.jobs import restart_given_up

from .helpers import owner, submit  # noqa: F401 (owner: fixture)

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite takes no row locks")


# by the key, named or as the one column selected
IN_KEY_ORDER = re.compile(r'ORDER BY (?:"public_services_filing"\."id"|1) ASC FOR UPDATE$')


def locking_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if "FOR UPDATE" in query["sql"]]


def test_the_due_date_recount_locks_the_filings_in_key_order(owner):
    submit(owner)
    with CaptureQueriesContext(connection) as queries:
        due_dates_recounted([timezone.localdate() + datetime.timedelta(days=3)])
    [locking] = [sql for sql in locking_queries(queries) if 'FROM "public_services_filing"' in sql]
    assert IN_KEY_ORDER.search(locking.rstrip()), locking


def test_building_declarations_again_locks_the_filings_in_key_order_before_updating_them(owner):
    submit(owner)
    with CaptureQueriesContext(connection) as queries:
        assert restart_given_up(Filing.objects.all(), "pdf_attempts", lambda pk: None) == 1
    sqls = [query["sql"] for query in queries]
    [locking] = locking_queries(queries)
    assert IN_KEY_ORDER.search(locking.rstrip()), locking
    update = next(index for index, sql in enumerate(sqls) if sql.startswith('UPDATE "public_services_filing"'))
    assert sqls.index(locking) < update
