"""The PostgreSQL backend's health check (vssid_portal/postgresql): a kept, idle connection is
judged by its socket, without a query; one the server has ended is refused and replaced."""

import time

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import missing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_postgresql")]


@pytest.fixture
def _postgresql():
    if connection.vendor != "postgresql":
        missing("the portal's PostgreSQL backend (DATABASE_URL)")


@pytest.fixture
def kept():
    """A second connection to the test database, outside the test's transaction, as a worker
    keeps one between requests (CONN_MAX_AGE, CONN_HEALTH_CHECKS)."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def backend_pid(wrapper) -> int:
    return wrapper.connection.info.backend_pid


def test_the_backend_is_the_portals():
    assert type(connections["default"]).__module__ == "vssid_portal.postgresql.base"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_an_idle_live_connection_is_usable_without_a_round_trip(kept, monkeypatch):
    def no_query(*args, **kwargs):
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(kept.connection, "cursor", no_query)
    assert kept.is_usable()


def test_a_connection_inside_a_transaction_is_checked_with_a_query(kept):
    kept.connection.execute("BEGIN")
    sent = []
    cursor = kept.connection.cursor

    def counting_cursor(*args, **kwargs):
        sent.append(True)
        return cursor(*args, **kwargs)

    kept.connection.cursor = counting_cursor
    try:
        assert kept.is_usable()
    finally:
        del kept.connection.cursor
        kept.connection.execute("ROLLBACK")
    assert sent


def test_a_connection_the_server_ended_is_not_usable_and_is_replaced(kept):
    ended = backend_pid(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [ended])
        assert cursor.fetchone() == (True,)
    # The server sends its reason and closes the socket: the check sees it without a query.
    deadline = time.monotonic() + 5
    while kept.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not kept.is_usable()

    # Django's health check at the first use in a request replaces it.
    kept.health_check_done = False
    with CaptureQueriesContext(kept):
        with kept.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    assert backend_pid(kept) != ended


def test_a_closed_connection_is_not_usable(kept):
    kept.connection.close()
    assert not kept.is_usable()


def test_a_socket_above_descriptor_1024_is_judged_without_an_error(kept):
    """select() refuses descriptors from 1024 on; a process with many open files reaches them. The
    kept connection's own socket, copied to descriptor 1500, stands in for such a connection."""
    import os
    import resource
    import types

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft <= 1500:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    high = os.dup2(kept.connection.pgconn.socket, 1500)
    try:
        real = kept.connection
        kept.connection = types.SimpleNamespace(closed=False, broken=False, info=real.info,
                                                pgconn=types.SimpleNamespace(status=real.pgconn.status, socket=high))
        assert kept.is_usable()
    finally:
        kept.connection = real
        os.close(high)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
