"""Django's PostgreSQL backend with a health check that costs no round trip while nothing has arrived.

With `CONN_HEALTH_CHECKS`, Django runs `SELECT 1` on a persistent connection before the first query of
every request. When the server ends a connection (restart, `pg_terminate_backend`, idle timeout) it
sends a last message or closes the socket, so the socket becomes readable: only then is Django's
`SELECT 1` run, and a dead connection replaced before the request's own query. A healthy idle
connection has nothing to read, and the request goes straight to its query.
"""

from __future__ import annotations

import select
from typing import Any

import psycopg
from django.db.backends.postgresql import base


def has_input(connection: Any) -> bool:
    """Whether the server has sent anything (a message, or end of file) since the last query was read.
    True for a connection without a socket, so that Django's own check decides."""
    try:
        socket = connection.fileno()
    except psycopg.Error:
        return True
    poller = select.poll()
    poller.register(socket, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_done: bool

    def close_if_health_check_failed(self) -> None:
        if self.connection is not None and not self.health_check_done and not has_input(self.connection):
            self.health_check_done = True  # checked for this request: nothing arrived, so the server has not left
            return
        super().close_if_health_check_failed()
