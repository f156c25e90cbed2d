"""The kept connection's health check: no round trip for a connection in use moments ago
whose socket is quiet; Django's ``SELECT 1`` whenever the server may have said goodbye."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.db import connection, connections

from returns_platform.postgresql import base

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kept():
    """A connection as a gunicorn worker keeps it (CONN_MAX_AGE, health checks on)."""
    settings = dict(connection.settings_dict, CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    wrapper = type(connections["default"])(settings, alias="kept")
    assert isinstance(wrapper, base.DatabaseWrapper)
    yield wrapper
    wrapper.close()


def serve(wrapper) -> int:
    """One request's worth: what Django does before and after it, and one statement;
    the server process that answered."""
    wrapper.close_if_unusable_or_obsolete()  # request_started
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    wrapper.close_if_unusable_or_obsolete()  # request_finished
    return pid


def pings(wrapper):
    return mock.patch.object(wrapper, "is_usable", wraps=wrapper.is_usable)


def test_a_connection_in_use_moments_ago_is_not_pinged(kept):
    first = serve(kept)
    with pings(kept) as ping:
        assert [serve(kept) for _ in range(5)] == [first] * 5
    assert ping.call_count == 0
    assert kept.quiet_checks == 5


def test_an_idle_connection_is_pinged_as_before(kept):
    first = serve(kept)
    kept.used_at = time.monotonic() - base.FRESH_SECONDS - 0.1
    with pings(kept) as ping:
        assert serve(kept) == first
    assert ping.call_count == 1
    assert kept.quiet_checks == 0


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(kept):
    first = serve(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    # The server's goodbye reaches the socket as soon as that process has ended.
    deadline = time.monotonic() + 10
    while base.socket_quiet(kept.connection) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not base.socket_quiet(kept.connection)
    with pings(kept) as ping:
        replaced = serve(kept)  # no error: the ping failed, Django connected again
    assert ping.call_count == 1
    assert replaced != first
    with pings(kept) as ping:
        assert serve(kept) == replaced
    assert ping.call_count == 0


def test_a_closed_connection_is_not_quiet(kept):
    serve(kept)
    raw = kept.connection
    raw.close()
    assert not base.socket_quiet(raw)
    assert not base.socket_quiet(None)
