"""Pages cost a fixed number of queries, whatever the page size or the number of lines."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conversations.services import conversation_post
from returns_platform.tenancy import tenant_context
from testing.orders import make_order
from testing.returns import file_return as file_request
from testing.staff import TEST_ACTOR, client_for

pytestmark = pytest.mark.django_db


def count_queries(client, path: str) -> int:
    """Queries of a warm request (the first one of a session also loads caches)."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def fill_queue(tenant, count: int, *, start: int) -> None:
    with tenant_context(tenant):
        for index in range(count):
            order = make_order(str(start + index), lines=3)
            file_request(order, quantities=[1, 1, 1])


def test_queue_is_constant_in_page_size(tenant, agent, django_assert_num_queries):
    client = client_for(agent)
    fill_queue(tenant, 3, start=1000)
    small = count_queries(client, "/backoffice/queue/?per_page=25")
    fill_queue(tenant, 47, start=2000)
    with django_assert_num_queries(small):
        response = client.get("/backoffice/queue/?per_page=50")
    assert len(response.context["requests"]) == 50
    with django_assert_num_queries(small):
        client.get("/backoffice/queue/?per_page=50&status=requested&q=jan&sort=-total")
    # htmx partial and bulk answers do no more work than the page.
    with django_assert_num_queries(small):
        client.get("/backoffice/queue/?per_page=50", HTTP_HX_REQUEST="true")


def test_queue_joins_only_the_rows_of_its_page(tenant, agent):
    """The page is cut from the shop's ids before the orders, customers and staff are
    joined: joining first made PostgreSQL join every open request of the shop (it
    underestimates a shop's rows under row-level security) before sorting out the page."""
    client = client_for(agent)
    fill_queue(tenant, 6, start=1000)
    client.get("/backoffice/queue/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/backoffice/queue/?sort=-total")
    totals = [row.refund_total for row in response.context["requests"]]
    assert len(totals) == 6
    assert totals == sorted(totals, reverse=True)
    joined = [
        query["sql"]
        for query in captured
        if 'FROM "returns_returnrequest"' in query["sql"] and 'JOIN "orders_order"' in query["sql"]
    ]
    assert joined
    for sql in joined:
        if "COUNT(" in sql:
            continue
        # Every query that joins the orders reads the page's ids only (no LIMIT/OFFSET
        # over the whole shop), or is the ids' own query, which selects nothing else.
        assert '"returns_returnrequest"."id" IN (' in sql or sql.startswith(
            'SELECT "returns_returnrequest"."id" FROM'
        ), sql


def test_detail_is_constant_in_line_count(tenant, agent, django_assert_num_queries):
    client = client_for(agent)
    with tenant_context(tenant):
        one = file_request(make_order("1001", lines=1), quantities=[1])
        many = file_request(make_order("1002", lines=8), quantities=[1] * 8)
        for return_request in (one, many):
            for index in range(3 if return_request is many else 1):
                conversation_post(
                    return_request=return_request, body=f"Note {index}", actor=TEST_ACTOR
                )
    baseline = count_queries(client, f"/backoffice/requests/{one.rma}/")
    with django_assert_num_queries(baseline):
        response = client.get(f"/backoffice/requests/{many.rma}/")
    assert len(response.context["line_rows"]) == 8 and len(response.context["thread"]) == 3


def test_order_list_and_detail_are_constant(tenant, agent, django_assert_num_queries):
    client = client_for(agent)
    fill_queue(tenant, 2, start=1000)
    small = count_queries(client, "/backoffice/orders/")
    detail = count_queries(client, "/backoffice/orders/1000/")
    fill_queue(tenant, 20, start=3000)
    with tenant_context(tenant):
        order = make_order("1000", lines=6)
        file_request(order, quantities=[0, 0, 0, 1, 1, 1])
    with django_assert_num_queries(small):
        client.get("/backoffice/orders/")
    with django_assert_num_queries(detail):
        client.get("/backoffice/orders/1000/")


def test_receipt_and_dashboard_are_constant(tenant, agent, django_assert_num_queries):
    client = client_for(agent)
    with tenant_context(tenant):
        small = file_request(make_order("1001", lines=1), quantities=[1])
        large = file_request(make_order("1002", lines=7), quantities=[1] * 7)
    receipt = count_queries(client, f"/backoffice/warehouse/{small.rma}/")
    with django_assert_num_queries(receipt):
        client.get(f"/backoffice/warehouse/{large.rma}/")
    dashboard = count_queries(client, "/backoffice/")
    fill_queue(tenant, 12, start=4000)
    with django_assert_num_queries(dashboard):
        client.get("/backoffice/")
