"""A part that is down answers clearly and does not take the rest with it (the fault suite,
tests/test_faults.py, does the same against real processes it kills)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError

from notifications import delivery
from returns.models import ReturnRequest
from returns_platform.cache import ResilientRedisCache
from returns_platform.tenancy import tenant_context
from testing.notifications import closed_port
from testing.orders import create_api_order
from testing.returns import api_return_body


def test_the_redis_cache_answers_miss_while_redis_is_down():
    cache = ResilientRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
    )
    assert cache.get("key", "default") == "default"
    cache.set("key", 1)
    assert cache.add("key", 1) is True  # a rate-limit window starts afresh
    assert cache.incr("key") == 1
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("key") is False
    assert cache.has_key("key") is False


def test_a_database_outage_in_the_api_is_a_503_with_json(api, tenant):
    with mock.patch(
        "returns.services.return_request_create",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        order = create_api_order(api)
        body = api_return_body(order)
        response = api.post("/api/v1/returns/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "database_unavailable"
    with tenant_context(tenant):
        assert not ReturnRequest.objects.exists()
    # The client repeats it with the same key once the database is back.
    again = api.post("/api/v1/returns/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 201


def test_a_database_outage_outside_the_api_is_a_503_not_a_500_page(client, admin_user):
    client.force_login(admin_user)
    with mock.patch(
        "backoffice.views.entry.memberships_of",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/backoffice/tenants/")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"


@pytest.mark.django_db
def test_readyz_names_the_failing_part(client, settings):
    settings.REDIS_URL = ""
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        down = client.get("/readyz")
    assert down.status_code == 503
    assert down.json()["failing"] == ["database"]
    assert down.json()["checks"]["database"] == "error: OperationalError"
    assert client.get("/readyz").status_code == 200  # back by itself


def test_a_committed_return_stays_a_201_when_the_broker_refuses_its_tasks(
    api, tenant, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError as BrokerDown

    order = create_api_order(api)
    body = api_return_body(order, method="drop_off")
    refused = mock.patch("celery.app.task.Task.apply_async", side_effect=BrokerDown("refused"))
    with refused, django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.post("/api/v1/returns/", body, format="json")
    assert callbacks  # the label, analytics and mail hand-overs all ran and failed
    assert response.status_code == 201
    with tenant_context(tenant):
        assert ReturnRequest.objects.filter(rma=response.json()["rma"]).exists()


def test_the_settings_recover_from_outages():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    # A hanging SMTP or webhook send gives up long before the sweep would repeat it.
    assert delivery.LEASE.total_seconds() > settings.EMAIL_TIMEOUT * 2
    from notifications.webhooks import TIMEOUT_SECONDS

    assert delivery.LEASE.total_seconds() > TIMEOUT_SECONDS * 2


def test_a_task_that_meets_a_database_outage_is_retried_not_dropped():
    from celery.exceptions import Retry

    from notifications.tasks import sweep_outbox

    sweep_outbox.push_request(is_eager=False, called_directly=False, retries=2)
    try:
        with (
            mock.patch(
                "notifications.delivery.sweep", side_effect=OperationalError("server closed")
            ),
            mock.patch.object(sweep_outbox, "retry", side_effect=Retry("again")) as retry,
            pytest.raises(Retry),
        ):
            sweep_outbox()
    finally:
        sweep_outbox.pop_request()
    assert retry.call_args.kwargs["countdown"] == 8
    assert isinstance(retry.call_args.kwargs["exc"], OperationalError)
    # In process (embedded mode, tests) the error is raised as it is.
    with (
        mock.patch("notifications.delivery.sweep", side_effect=OperationalError("down")),
        pytest.raises(OperationalError),
    ):
        sweep_outbox.apply()
