"""Django's PostgreSQL backend with a health check that costs no round trip.

With CONN_HEALTH_CHECKS, Django checks a kept connection before its first use in each request
by sending `SELECT 1`: a round trip to the server on every page that reads the database. Here
the check first asks the kernel whether the idle connection's socket has anything to read. An
idle connection receives nothing unless the server is going away (a restart or a terminated
backend sends its reason and closes the socket), so a socket with nothing to read is usable, and
only a socket that has something waiting, or a connection that is not idle, is checked with
Django's own `SELECT 1`.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        pgconn = connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if connection.info.transaction_status == pq.TransactionStatus.IDLE and hasattr(select, "poll"):
            waiting = select.poll()  # poll, not select: a descriptor may be above select's 1024
            waiting.register(pgconn.socket, select.POLLIN)
            if not waiting.poll(0):
                return True
        return super().is_usable()
