"""Portal pages cost the same number of queries whatever the number of order lines."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants import portal as portal_tenants
from testing.portal import Wizard, lines_of, make_order


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def _walk(tenant, number: str, lines: int) -> tuple[Client, dict[str, int]]:
    order = make_order(tenant, number, lines=lines)
    client = Client()
    wizard = Wizard(client)
    wizard.lookup(number, "1012 AB")
    wizard.case("return")
    counts = {"items": _queries(client, "/r/acme/items/")}
    order_lines = lines_of(tenant, order)
    wizard.items({line.pk: 1 for line in order_lines})
    counts["details"] = _queries(client, "/r/acme/details/")
    wizard.details({line.pk: "too_small" for line in order_lines})
    counts["resolution"] = _queries(client, "/r/acme/resolution/")
    wizard.resolution("refund")
    counts["method"] = _queries(client, "/r/acme/method/")
    wizard.method("drop_off")
    counts["review"] = _queries(client, "/r/acme/review/")
    return client, counts


@pytest.mark.django_db
def test_wizard_pages_are_constant_in_the_number_of_lines(tenant):
    _client, few = _walk(tenant, "3001", 2)
    _client, many = _walk(tenant, "3002", 12)
    assert few == many
    assert max(few.values()) <= 12


def test_lookup_query_count(tenant, django_assert_max_num_queries):
    client = Client()
    make_order(tenant, "3003", lines=3)
    # Shop, session, the one order query, the new session id and the saved wizard.
    with django_assert_max_num_queries(10):
        response = client.post("/r/acme/", {"reference": "3003", "identity": "1012 AB"})
    assert response.status_code == 302


def _status_queries(tenant, number: str, lines: int) -> int:
    from returns import services
    from returns_platform.audit import Actor
    from returns_platform.tenancy import tenant_context

    order = make_order(tenant, number, lines=lines)
    with tenant_context(tenant):
        created = services.return_request_create(
            order=order,
            case_type="return",
            resolution="refund",
            method="drop_off",
            lines=[
                {"order_line": line.pk, "quantity": 1, "reason_code": "too_small"}
                for line in order.lines.all()
            ],
            actor=Actor.system("test"),
        )
        token = created.access_token()
    portal_tenants.forget()  # both counts include looking the shop up by its slug
    return _queries(Client(), f"/r/acme/s/{token}/")


def test_status_page_is_constant_in_the_number_of_lines(tenant):
    assert _status_queries(tenant, "3004", 1) == _status_queries(tenant, "3005", 8)
