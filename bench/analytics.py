"""Analytics at scale: 1,000,000 orders and 100,000 returns in one shop.

Seeds the database named by DATABASE_URL (PostgreSQL) in bulk with INSERT ... SELECT
over generate_series (orders, their lines, returns, their lines, resolutions, the audit
events that date approval, receipt and inspection, and feedback), rebuilds the daily
aggregate rows, then times the analytics page and the analytics API in process (Django's
test client, so the figures are the application's own time without a network hop).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/returns_analytics_bench \\
        .venv/bin/python bench/analytics.py --orders 1000000 --returns 100000

Prints the seeding and rebuild times and, per URL, the median and 90th percentile of
``--repeat`` requests in milliseconds. Not run in CI.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "analytics-bench"
REASONS = ("too_small", "too_large", "damaged", "not_as_described", "changed_mind")
CHANNELS = (
    ("web", "Web shop", "webshop"),
    ("market", "Marketplace", "marketplace"),
    ("store", "Store", "store"),
)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "returns_platform.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from django.conf import settings

    settings.AXES_ENABLED = False  # sign-in throttling logs need a client address


def insert_select(cursor, table: str, values: dict[str, str], source: str) -> None:
    """INSERT INTO table SELECT ... FROM source, every NOT NULL column without a value
    given filled with its type's empty value (so new columns do not break the seed)."""
    cursor.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    empty = {
        "character varying": "''",
        "text": "''",
        "integer": "0",
        "bigint": "0",
        "smallint": "0",
        "numeric": "0",
        "boolean": "false",
        "jsonb": "'{}'::jsonb",
        "timestamp with time zone": "now()",
        "date": "current_date",
    }
    columns, expressions = [], []
    for name, data_type, nullable in cursor.fetchall():
        if name in values:
            columns.append(name)
            expressions.append(values[name])
        elif nullable == "NO":
            columns.append(name)
            expressions.append(empty[data_type])
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} {source}"
    )


def seed(orders: int, returns: int) -> object:
    from django.db import connection, transaction

    from returns.models import ReturnReason
    from returns.selectors import return_policy_get
    from returns_platform.tenancy import tenant_context
    from tenants.models import SalesChannel, Tenant
    from tenants.services import tenant_create

    tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is not None:
        return tenant
    tenant = tenant_create(
        name="Analytics bench",
        slug=SLUG,
        admin_email="admin@bench.example",
        admin_password="bench-password",
    )
    started = time.perf_counter()
    with tenant_context(tenant), transaction.atomic():
        return_policy_get()
        for code in REASONS:
            ReturnReason.objects.get_or_create(code=code, defaults={"label_en": code})
        channels = [
            SalesChannel.objects.create(code=code, name=name, kind=kind).pk
            for code, name, kind in CHANNELS
        ]
        reasons = list(
            ReturnReason.objects.filter(code__in=REASONS)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        t = tenant.pk
        with connection.cursor() as cursor:
            channel_array = "ARRAY[" + ",".join(map(str, channels)) + "]"
            insert_select(
                cursor,
                "orders_order",
                {
                    "tenant_id": str(t),
                    "number": "'B' || n",
                    "channel_id": f"({channel_array})[1 + n % 3]",
                    "email": "'c' || (n % 50000) || '@x.nl'",
                    "language": "'nl'",
                    "currency": "'EUR'",
                    "status": "'delivered'",
                    "shipping_postcode": "'1012AB'",
                    "postcode_normalized": "'1012AB'",
                    "shipping_country": "(ARRAY['NL','BE','DE','FR'])[1 + n % 4]",
                    "placed_at": "now() - ((n * 7919) % 525600) * interval '1 minute'",
                },
                f"FROM generate_series(1::bigint, {orders}) AS n",
            )
            insert_select(
                cursor,
                "orders_orderline",
                {
                    "tenant_id": str(t),
                    "order_id": "o.id",
                    "position": "p",
                    "sku": "'SKU-' || ((o.id * 31 + p * 17) % 500)",
                    "name": "'Product ' || ((o.id * 31 + p * 17) % 500)",
                    "category": "'cat' || ((o.id * 31 + p * 17) % 500 % 20)",
                    "quantity": "1 + (o.id + p) % 2",
                    "unit_price": "10 + (o.id * 31 + p * 17) % 500 % 90",
                    "tax_rate": "21",
                    "returnable": "true",
                },
                f"FROM orders_order o CROSS JOIN LATERAL generate_series(1, 1 + o.id % 3) p "
                f"WHERE o.tenant_id = {t}",
            )
            step = max(1, orders // returns)
            status = (
                "(ARRAY['completed','completed','completed','completed','completed',"
                "'completed','completed','received','approved','cancelled'])[1 + k % 10]"
            )
            insert_select(
                cursor,
                "returns_returnrequest",
                {
                    "tenant_id": str(t),
                    "rma": "'R' || k",
                    "order_id": "o.id",
                    "case_type": "CASE WHEN k % 10 = 3 THEN 'complaint' ELSE 'return' END",
                    "status": status,
                    "resolution": "(ARRAY['refund','store_credit','exchange'])[1 + k % 3]",
                    "method": "'drop_off'",
                    "return_cost": "CASE WHEN k % 4 = 0 THEN 0 ELSE 4.95 END",
                    "is_free_return": "k % 4 = 0",
                    "currency": "'EUR'",
                    "language": "'nl'",
                    "email": "o.email",
                    "warnings": "'[]'::jsonb",
                    "verdicts": "'[]'::jsonb",
                    "channel_id": "o.channel_id",
                    "created_at": "LEAST(now(), o.placed_at + interval '5 days')",
                    "status_changed_at": "LEAST(now(), o.placed_at + interval '10 days')",
                },
                f"FROM generate_series(1::bigint, {returns}) AS k JOIN orders_order o "
                f"ON o.tenant_id = {t} AND o.number = 'B' || (k * {step})",
            )
            reason_array = "ARRAY[" + ",".join(map(str, reasons)) + "]"
            insert_select(
                cursor,
                "returns_returnline",
                {
                    "tenant_id": str(t),
                    "request_id": "r.id",
                    "order_line_id": "l.id",
                    "quantity": "1",
                    "reason_id": f"({reason_array})[1 + r.id % 5]",
                    "comment": "CASE WHEN r.id % 5 = 0 THEN 'Comment ' || r.id ELSE '' END",
                    "unit_price": "l.unit_price",
                },
                f"FROM returns_returnrequest r JOIN orders_orderline l ON l.order_id = r.order_id "
                f"AND l.position = 1 WHERE r.tenant_id = {t}",
            )
            insert_select(
                cursor,
                "credits_returnresolution",
                {
                    "tenant_id": str(t),
                    "return_request_id": "r.id",
                    "rma": "r.rma",
                    "resolution": "r.resolution",
                    "outcome": "r.resolution",
                    "currency": "'EUR'",
                    "amount": "CASE WHEN r.resolution = 'exchange' THEN 0 ELSE l.unit_price END",
                    "calculation": "'{}'::jsonb",
                    "lines": "'[]'::jsonb",
                    "resolved_by": "'system:bench'",
                    "created_at": "r.created_at + interval '6 days'",
                },
                f"FROM returns_returnrequest r JOIN returns_returnline l ON l.request_id = r.id "
                f"WHERE r.tenant_id = {t} AND r.status = 'completed'",
            )
            insert_select(
                cursor,
                "returns_platform_auditevent",
                {
                    "tenant_id": str(t),
                    "sequence": "1000000 + r.id * 4 + s",
                    "created_at": (
                        "r.created_at + s * interval '1 day' + (r.id % 24) * interval '1 hour'"
                    ),
                    "actor_kind": "'system'",
                    "action": "(ARRAY['return.approved','return.received','return.inspected'])[s]",
                    "subject_type": "'return'",
                    "subject_id": "r.rma",
                    "data": "'{}'::jsonb",
                    "previous_hash": "repeat('0', 64)",
                    "hash": "repeat('0', 64)",
                },
                f"FROM returns_returnrequest r CROSS JOIN generate_series(1, 3) s "
                f"WHERE r.tenant_id = {t} AND r.status IN ('completed', 'received')",
            )
            insert_select(
                cursor,
                "returns_feedback",
                {
                    "tenant_id": str(t),
                    "request_id": "r.id",
                    "rating": "1 + r.id % 5",
                    "comment": "CASE WHEN r.id % 3 = 0 THEN 'Feedback ' || r.id ELSE '' END",
                    "language": "'nl'",
                    "created_at": "r.status_changed_at + interval '2 days'",
                    "updated_at": "r.status_changed_at + interval '2 days'",
                },
                f"FROM returns_returnrequest r WHERE r.tenant_id = {t} "
                f"AND r.status = 'completed' AND r.id % 5 = 0",
            )
            cursor.execute("ANALYZE")
    print(
        f"seeded {orders} orders and {returns} returns in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return tenant


def rebuild(tenant) -> None:
    from analytics.aggregation import analytics_rebuild
    from returns_platform.tenancy import tenant_context

    started = time.perf_counter()
    with tenant_context(tenant):
        days = analytics_rebuild()
    print(
        f"rebuilt {days} days of aggregate rows in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def measure(tenant, repeat: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from rest_framework.test import APIClient

    from returns_platform.audit import Actor
    from returns_platform.tenancy import tenant_context
    from tenants.services import api_key_create

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="admin@bench.example"))
    staff.post("/backoffice/tenants/", {"tenant": tenant.pk})
    with tenant_context(tenant):
        key = api_key_create(name="bench", actor=Actor.system("bench")).plaintext
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    urls = [
        (staff, "/backoffice/analytics/"),
        (staff, "/backoffice/analytics/?channel=web&country=NL"),
        (staff, "/backoffice/analytics/export/top_skus.csv"),
        (api, "/api/v1/analytics/returns/"),
        (api, "/api/v1/analytics/returns/?sku=SKU-42"),
        (api, "/api/v1/analytics/returns.csv"),
    ]
    print(f"{'url':58} {'median ms':>10} {'p90 ms':>8}")
    for client, url in urls:
        timings = []
        for _ in range(repeat + 2):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings = sorted(timings[2:])  # the first two warm the caches
        p90 = timings[max(0, int(len(timings) * 0.9) - 1)]
        print(f"{url:58} {statistics.median(timings):10.1f} {p90:8.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--returns", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--no-rebuild", action="store_true", help="Measure only (the rows are already built)."
    )
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    tenant = seed(args.orders, args.returns)
    if not args.no_rebuild:
        rebuild(tenant)
    measure(tenant, args.repeat)


if __name__ == "__main__":
    main()
