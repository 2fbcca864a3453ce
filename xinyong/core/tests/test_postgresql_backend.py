"""The PostgreSQL backend's health check: no round trip for a healthy connection, a new connection when
the server has ended the old one (as Django's SELECT 1 check would)."""

import time

import pytest
from django.db import connection, connections

from xinyong.core.postgresql.base import has_input

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's own check"),
]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def new_request() -> None:
    """What Django does when a request starts: the next query checks the connection first."""
    connection.close_if_unusable_or_obsolete()


def test_a_healthy_connection_is_not_pinged(monkeypatch):
    pid = backend_pid()
    pings = []
    monkeypatch.setattr(connection, "is_usable", lambda: pings.append(1) or True)
    new_request()
    assert backend_pid() == pid and pings == []
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it():
    pid = backend_pid()
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    deadline = time.monotonic() + 5
    while not has_input(connection.connection) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert has_input(connection.connection)
    new_request()
    assert backend_pid() != pid  # no error: the check saw the ended connection and opened a new one
