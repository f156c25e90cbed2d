"""The Redis broker transport: kombu's, with the channel able to give its unacknowledged
messages back after its connection was closed under it.

When the broker connection breaks while tasks with late acknowledgement are running,
Celery (5.7) closes the connection before it restarts the consumer. Closing detaches
kombu's transport from its connection (``transport.client = None``); a channel that was
not closed by then (closing an earlier channel on the broken socket raised and stopped
the loop) is closed during the restart, and closing it puts its unacknowledged messages
back on their queues through a new Redis client, whose parameters kombu reads from
``transport.client``: ``AttributeError: 'NoneType' object has no attribute 'hostname'``.
Celery takes that for an unrecoverable error, the consumer stops, and the worker process
stays up consuming nothing.

Here a channel keeps the connection settings it was made with and connects with them
when the transport has been detached, so the messages go back at once (or, with Redis
still down, the error is a connection error Celery retries after). Chosen for the worker
by ``CELERY_BROKER_TRANSPORT`` when the broker is Redis.
"""

from __future__ import annotations

from typing import Any

from kombu.transport import redis


class Channel(redis.Channel):
    def __init__(self, connection: Any, *args: Any, **kwargs: Any) -> None:
        self._settings = connection.client  # the kombu Connection the transport serves
        super().__init__(connection, *args, **kwargs)

    def _connparams(self, asynchronous: bool = False) -> dict:
        transport = self.connection
        if transport.client is not None or self._settings is None:
            return super()._connparams(asynchronous)
        # Detached: read the settings the channel was made with. The consumer's thread is
        # the only one using this transport while it restarts.
        transport.client = self._settings
        try:
            return super()._connparams(asynchronous)
        finally:
            transport.client = None


class Transport(redis.Transport):
    Channel = Channel
