"""The hot read paths' shortcuts give what the long way gives: filters, ETags, tokens."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.http import QueryDict
from rest_framework.exceptions import ValidationError

from orders.serializers import OrderListFilter
from returns.models import ReturnRequest
from returns.serializers import ReturnListFilter
from returns_platform.api import list_filters
from returns_platform.tenancy import tenant_context
from testing.orders import create_order
from testing.returns import file_return

QUERIES = [
    "",
    "limit=50",
    "limit=200",
    "limit=201",
    "limit=0",
    "limit=050",
    "limit=5.0",
    "limit=",
    "limit=%2050",
    "limit=1&limit=7",
    "cursor=cD0xMjM%3D",
    "cursor=cD0xMjM%3D&limit=20",
    "cursor=",
    "cursor=%20cD0x",
    "cursor=a%00b",
    "limit=5&status=requested",
    "limit=5&colour=red",
]


def _long_way(serializer_class, query: QueryDict):
    serializer = serializer_class(data=query)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@pytest.mark.parametrize("serializer_class", [OrderListFilter, ReturnListFilter])
@pytest.mark.parametrize("query", QUERIES)
def test_list_filters_are_the_serializers(serializer_class, query):
    params = QueryDict(query)
    try:
        expected = _long_way(serializer_class, params)
    except ValidationError as error:
        with pytest.raises(ValidationError) as raised:
            list_filters(serializer_class, params)
        assert raised.value.detail == error.detail
    else:
        assert dict(list_filters(serializer_class, params)) == expected


def test_status_token_is_signed_once_and_stays_valid(tenant):
    with tenant_context(tenant):
        request = file_return(create_order("T1", lines=1))
        token = request.access_token()
        later = time.time() + 100  # a token signed now would carry another timestamp
        with mock.patch("django.core.signing.time.time", return_value=later):
            again = ReturnRequest.objects.get(pk=request.pk).access_token()
            fresh = ReturnRequest(tenant_id=tenant.pk, rma="R-OTHER").access_token()
    assert again == token
    assert fresh.split(":")[1] != token.split(":")[1]
    assert ReturnRequest.read_access_token(token) == (tenant.pk, request.rma)


def test_return_detail_answers_304_to_its_etag(tenant, api):
    with tenant_context(tenant):
        rma = file_return(create_order("T1", lines=2)).rma
    first = api.get(f"/api/v1/returns/{rma}/")
    second = api.get(f"/api/v1/returns/{rma}/")
    assert first.status_code == second.status_code == 200
    assert first["ETag"] == second["ETag"] and first.content == second.content
    unchanged = api.get(f"/api/v1/returns/{rma}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and not unchanged.content
    with tenant_context(tenant):
        ReturnRequest.objects.filter(rma=rma).update(email="new@example.com")
    changed = api.get(f"/api/v1/returns/{rma}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["email"] == "new@example.com"
    assert changed["ETag"] != first["ETag"]


def test_order_detail_answers_304_to_its_etag(tenant, api):
    with tenant_context(tenant):
        create_order("T2", lines=2)
    first = api.get("/api/v1/orders/T2/")
    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    unchanged = api.get("/api/v1/orders/T2/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and not unchanged.content
    other = api.get("/api/v1/orders/T2/", HTTP_IF_NONE_MATCH='W/"other"')
    assert other.status_code == 200 and other.content == first.content


def _walk(api, url: str) -> list[bytes]:
    """Every page from ``url`` by its next links, then back by its previous links."""
    pages, seen = [], set()
    for direction in ("next", "previous"):
        while url and (direction, url) not in seen:
            seen.add((direction, url))
            response = api.get(url)
            assert response.status_code == 200
            pages.append(response.content)
            url = response.json()[direction]
        url = response.json()["previous"]
    return pages


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("url", "fast", "slow"),
    [
        ("/api/v1/orders/?limit=2", "orders.api.selectors.order_page_rows", "order_list_rows"),
        ("/api/v1/returns/?limit=2", "returns.api.selectors.return_page_rows", "return_list_rows"),
    ],
)
def test_prepared_pages_are_the_querysets_pages(tenant, api, url, fast, slow):
    from django.contrib.auth import get_user_model

    with tenant_context(tenant):
        staff = get_user_model().objects.create_user("staff", email="staff@example.com")
        for index in range(5):
            order = create_order(f"P{index}", lines=index % 3 + 1)
            request = file_return(order, quantities=[1] * (index % 3 + 1))
            if index % 2:
                ReturnRequest.objects.filter(pk=request.pk).update(assignee=staff, held_by=staff)
    prepared = _walk(api, url)
    module, _, name = fast.rpartition(".")
    selectors = __import__(module.rsplit(".", 1)[0], fromlist=["selectors"]).selectors
    with mock.patch(fast, getattr(selectors, slow)):
        assert _walk(api, url) == prepared
    assert len(prepared) >= 5  # three pages forward, back to the first


@pytest.mark.parametrize(
    ("accept", "query"),
    [
        (None, ""),
        ("*/*", ""),
        ("application/json", ""),
        ("text/html", ""),
        ("", ""),
        ("application/json; indent=4", ""),
        ("*/*", "?format=json"),
        ("*/*", "?format=xml"),
    ],
)
def test_content_negotiation_is_drfs(tenant, api, accept, query):
    from rest_framework.views import APIView

    from returns_platform.api import TenantAPIView

    with tenant_context(tenant):
        create_order("N1", lines=1)
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}

    def answer():
        response = api.get(f"/api/v1/orders/N1/{query}", **headers)
        return response.status_code, response.get("Content-Type"), response.content

    fast = answer()
    with mock.patch.object(
        TenantAPIView, "perform_content_negotiation", APIView.perform_content_negotiation
    ):
        assert answer() == fast
    if accept == "text/html":
        assert fast[0] == 406 and b'"not_acceptable"' in fast[2]
