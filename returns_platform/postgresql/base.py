"""Django's PostgreSQL backend, whose per-request health check skips the ``SELECT 1``
for a connection that was in use moments ago and has heard nothing from the server.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every
request on a kept connection, so that a connection a database restart broke is replaced
instead of failing that request. Under load that is a round trip per request for a
connection used a millisecond earlier. A server that ends a session (a restart, a crash
of the server or of the session's process, ``pg_terminate_backend``) closes its socket,
most often after a last error message: the client's end of the socket becomes readable
while the connection sits idle between requests. So the check here looks first, without
a round trip: when the connection was last used less than ``FRESH_SECONDS`` ago and its
socket has nothing to read, it is taken as healthy; otherwise (anything to read, the
socket gone, or idle longer) Django's ``SELECT 1`` decides as before.

What only the ping would have caught is a connection broken without a word to the client
(a host that vanished from the network) in the seconds after its last use, and that case
ends the same way under either check: the first statement waits for the network's
timeout. Everything else (errors in a request, maximum age) is Django's.
"""

from __future__ import annotations

import select
import time

from django.db.backends.postgresql import base

# A connection used this recently is trusted when its socket has nothing to read.
FRESH_SECONDS = 5.0


def socket_quiet(raw) -> bool:
    """True when the connection's socket is open and has nothing waiting to be read."""
    if raw is None or raw.closed:
        return False
    try:
        readable, _, _ = select.select([raw.fileno()], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


class DatabaseWrapper(base.DatabaseWrapper):
    used_at: float | None = None
    # How many health checks were answered without a round trip (for tests and curiosity).
    quiet_checks = 0

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self.used_at is not None
            and time.monotonic() - self.used_at < FRESH_SECONDS
            and socket_quiet(self.connection)
        ):
            self.health_check_done = True
            self.quiet_checks += 1
            return
        super().close_if_health_check_failed()

    def create_cursor(self, name=None):
        self.used_at = time.monotonic()
        return super().create_cursor(name)

    def connect(self) -> None:
        super().connect()
        self.used_at = time.monotonic()
