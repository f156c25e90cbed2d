"""A real Celery worker for end-to-end tests (Redis as the broker), and waiting for it."""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from returns_platform.celery import app as celery_app


@pytest.fixture
def real_worker():
    """A Celery worker in a thread, consuming from Redis (not eager)."""
    from celery.contrib.testing.worker import start_worker

    saved = {
        "broker_url": celery_app.conf.broker_url,
        "task_always_eager": celery_app.conf.task_always_eager,
    }
    celery_app.conf.broker_url = settings.REDIS_URL
    celery_app.conf.task_always_eager = False
    _forget_connections()
    import redis

    redis.Redis.from_url(settings.REDIS_URL).delete("celery")  # a clean queue
    with start_worker(
        celery_app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=15,
    ) as worker:
        yield worker
    celery_app.conf.broker_url = saved["broker_url"]
    celery_app.conf.task_always_eager = saved["task_always_eager"]
    _forget_connections()


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _forget_connections():
    """Let the app open connections to the broker now configured (pools are cached)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
