"""The worker's Redis transport gives unacknowledged messages back after its connection
was closed under a channel (returns_platform/broker.py), on a real Redis."""

from __future__ import annotations

import uuid

import kombu
import pytest
import redis
from django.conf import settings

from returns_platform.celery import app

pytestmark = pytest.mark.redis


def _held_message_after_the_connection_closed(transport: str):
    """A channel holding an unacknowledged message whose connection was then closed as
    Celery 5.7 closes a broken one (the transport detached first); the channel still open.
    Returns the channel, the queue's name and a Redis client, and the keys to clean up."""
    name = f"broker-test-{uuid.uuid4().hex[:10]}"
    keys = {"unacked_key": f"{name}-unacked", "unacked_index_key": f"{name}-unacked-index"}
    keys["unacked_mutex_key"] = f"{name}-unacked-mutex"
    connection = kombu.Connection(settings.REDIS_URL, transport=transport, transport_options=keys)
    queue = kombu.Queue(name, kombu.Exchange(name, type="direct"), routing_key=name)
    with connection.channel() as channel:
        kombu.Producer(channel).publish(
            {"task": "x"}, exchange=queue.exchange, routing_key=name, declare=[queue]
        )
    consumer = connection.channel()
    assert queue(consumer).get(no_ack=False) is not None
    client = redis.Redis.from_url(settings.REDIS_URL)
    assert client.llen(name) == 0 and client.hlen(keys["unacked_key"]) == 1
    connection._do_close_transport()  # what closing the connection does first
    return consumer, name, client, [name, *keys.values()]


def test_a_channel_closed_after_its_connection_puts_its_messages_back():
    consumer, name, client, keys = _held_message_after_the_connection_closed(
        "returns_platform.broker:Transport"
    )
    try:
        consumer.close()
        assert client.llen(name) == 1  # back on its queue at once
        assert client.hlen(keys[1]) == 0
    finally:
        client.delete(*keys)


def test_kombus_own_channel_fails_there():
    """The failure the transport exists for, as the worker's log shows it; when kombu no
    longer fails here, the transport can go."""
    consumer, _, client, keys = _held_message_after_the_connection_closed("redis")
    try:
        with pytest.raises(AttributeError, match="hostname"):
            consumer.close()
    finally:
        client.delete(*keys)


def test_the_worker_uses_it_for_a_redis_broker():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    with app.connection_for_write() as connection:
        assert connection.transport_cls == "returns_platform.broker:Transport"
        channel = connection.default_channel
        assert type(channel).__module__ == "returns_platform.broker"
