"""Fast seeding of the benchmark database: N shops x M orders with COPY.

Each shop is created through the services (defaults, reasons, audit chain, an API key,
a back-office admin and one real return request with its rendered label), then its
customers, orders (three lines each) are streamed into PostgreSQL with ``COPY``, and
one order in ten gets a return request cloned in SQL from the real one (same policy
snapshot, refund preview and label file). Seeding is idempotent per shop: shops already
present are reused, so a second run only prints what is there.

The state the load generator needs (API keys, order numbers, status-page tokens, a
back-office session) is written to ``var/bench/<database>.json``.
"""

from __future__ import annotations

import io
import json
import secrets
from datetime import timedelta
from pathlib import Path

from tqdm import tqdm

LINES_PER_ORDER = 3
RETURN_EVERY = 10  # one order in ten has a return request
CUSTOMERS_PER_SHOP = 5000
CHUNK = 10_000
POSTCODE = "1012 AB"
ADMIN_PASSWORD = "bench-admin-password-1"  # noqa: S105 - a throw-away bench database
SAMPLE = 400  # ids per shop that the load generator rotates over


def _copy(cursor, model, columns: str, rows: io.StringIO) -> None:
    """COPY the rows; columns not named get their model default (added later, say)."""
    named = [column.strip() for column in columns.split(",")]
    extra = [f for f in model._meta.concrete_fields if f.column not in named]
    if extra:
        suffix = "\t" + "\t".join(_copy_text(f.get_default()) for f in extra)
        rows = io.StringIO(rows.getvalue().replace("\n", suffix + "\n"))
        columns = ", ".join([*named, *(f.column for f in extra)])
    rows.seek(0)
    cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", rows)


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def _reserve_ids(cursor, table: str, count: int) -> int:
    """Move the table's id sequence past ``count`` new ids; return the first of them."""
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
    first = cursor.fetchone()[0] + 1
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [first + count - 1]
    )
    return first


def _copy_orders(cursor, tenant_id: int, start: int, stop: int, order_id: int, line_id: int):
    """Stream orders start..stop-1 of one shop (and their lines) with two COPYs."""
    from django.utils import timezone

    from orders.models import Order, OrderLine

    now = timezone.now()
    stamp = now.isoformat()
    orders, lines = io.StringIO(), io.StringIO()
    customer_base = _customer_base(cursor, tenant_id)
    for n in range(start, stop):
        oid = order_id + (n - start)
        placed = (now - timedelta(days=20, minutes=stop - n)).isoformat()
        delivered = (now - timedelta(days=5, minutes=stop - n)).isoformat()
        orders.write(
            f"{oid}\tB{n}\tc{n % CUSTOMERS_PER_SHOP}@example.nl\tnl\tEUR\tdelivered\t"
            f"Jan Jansen\tKerkstraat {n % 300 + 1}\t{POSTCODE}\tAmsterdam\tNL\t1012AB\t"
            f"{placed}\t{placed}\t{delivered}\t\\N\t\\N\tpostnl\t3S{n:09d}\t\t4.95\t"
            f"64.80\t{stamp}\t{stamp}\t\\N\t{customer_base + n % CUSTOMERS_PER_SHOP}\t"
            f"{tenant_id}\n"
        )
        for position in range(1, LINES_PER_ORDER + 1):
            lid = line_id + (n - start) * LINES_PER_ORDER + position - 1
            lines.write(
                f"{lid}\t{position}\tSKU-{position}-{n % 97}\tItem {position}\tshirts\t1\t"
                f"19.95\t21.00\tt\t\t{oid}\t{tenant_id}\n"
            )
    _copy(
        cursor,
        Order,
        "id, number, email, language, currency, status, shipping_name, shipping_street, "
        "shipping_postcode, shipping_city, shipping_country, postcode_normalized, placed_at, "
        "shipped_at, delivered_at, expected_delivery_at, cancelled_at, carrier, "
        "tracking_number, invoice_number, delivery_cost, total, created_at, updated_at, "
        "channel_id, customer_id, tenant_id",
        orders,
    )
    _copy(
        cursor,
        OrderLine,
        "id, position, sku, name, category, quantity, unit_price, tax_rate, returnable, "
        "image_url, order_id, tenant_id",
        lines,
    )


def _customer_base(cursor, tenant_id: int) -> int:
    cursor.execute(
        "SELECT min(id) FROM orders_customer WHERE tenant_id = %s AND email LIKE 'c%%@example.nl'",
        [tenant_id],
    )
    return cursor.fetchone()[0]


def _copy_customers(cursor, tenant_id: int) -> None:
    from django.utils import timezone

    from orders.models import Customer

    first = _reserve_ids(cursor, "orders_customer", CUSTOMERS_PER_SHOP)
    stamp = timezone.now().isoformat()
    rows = io.StringIO()
    for k in range(CUSTOMERS_PER_SHOP):
        rows.write(f"{first + k}\tc{k}@example.nl\tCustomer {k}\t\t{stamp}\t{tenant_id}\n")
    _copy(cursor, Customer, "id, email, name, phone, created_at, tenant_id", rows)


def _template_return(tenant):
    """One return request made by the real service (policy, preview, audit, label)."""
    from orders.models import Order
    from returns.models import ReturnRequest
    from returns.services import return_request_create
    from returns_platform.audit import Actor

    existing = ReturnRequest.objects.order_by("id").first()
    if existing is not None:
        return existing
    order = Order.objects.get(number="B1")
    line = order.lines.order_by("position").first()
    return return_request_create(
        order=order,
        case_type="return",
        resolution="refund",
        method="drop_off",
        lines=[{"order_line": line, "quantity": 1, "reason_code": "too_small", "comment": ""}],
        actor=Actor.system("bench"),
    )


def _select_copy(model, source: str, overrides: dict[str, str]) -> tuple[str, str]:
    """Columns of ``model`` and a SELECT list copying ``source`` but for ``overrides``.

    Columns added to the model later are copied from the template as they are.
    """
    columns = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    return ", ".join(columns), ", ".join(overrides.get(c, f"{source}.{c}") for c in columns)


# The status of a cloned request, by its order (SQL; ``o`` is the order).
SEEDED_STATUS = "(ARRAY['requested', 'approved', 'received'])[1 + (o.id %% 3)]"


def _clone_returns(cursor, tenant_id: int, template_id: int) -> None:
    """One return request for every RETURN_EVERY-th order, copied from the template."""
    from returns.models import ReturnLine, ReturnRequest

    columns, values = _select_copy(
        ReturnRequest,
        "t",
        {
            "rma": "'S-' || substr(o.number, 2)",
            "status": SEEDED_STATUS,
            "email": "o.email",
            "status_changed_at": "now()",
            "created_at": "o.delivered_at + interval '1 day'",
            "updated_at": "o.delivered_at + interval '1 day'",
            "assignee_id": "NULL",
            "held_by_id": "NULL",
            "order_id": "o.id",
            "tenant_id": "o.tenant_id",
        },
    )
    cursor.execute(
        f"""
        WITH t AS MATERIALIZED (SELECT * FROM returns_returnrequest WHERE id = %(template)s)
        INSERT INTO returns_returnrequest ({columns})
        SELECT {values}
        FROM orders_order o, t
        WHERE o.tenant_id = %(tenant)s
          AND o.number <> 'B1'
          AND CASE WHEN o.number ~ '^B[0-9]+$'
                   THEN substr(o.number, 2)::bigint %% %(every)s = 5 ELSE false END
          AND NOT EXISTS (
              SELECT 1 FROM returns_returnrequest x
              WHERE x.tenant_id = o.tenant_id AND x.order_id = o.id)
        """,
        {"template": template_id, "tenant": tenant_id, "every": RETURN_EVERY},
    )
    columns, values = _select_copy(
        ReturnLine,
        "t",
        {
            "order_line_id": "l.id",
            "unit_price": "l.unit_price",
            "tenant_id": "r.tenant_id",
            "request_id": "r.id",
        },
    )
    cursor.execute(
        f"""
        WITH t AS MATERIALIZED (
            SELECT * FROM returns_returnline WHERE request_id = %(template)s LIMIT 1)
        INSERT INTO returns_returnline ({columns})
        SELECT {values}
        FROM returns_returnrequest r
        JOIN orders_orderline l ON l.tenant_id = r.tenant_id AND l.order_id = r.order_id
             AND l.position = 1
        CROSS JOIN t
        WHERE r.tenant_id = %(tenant)s AND r.id <> %(template)s
          AND NOT EXISTS (
              SELECT 1 FROM returns_returnline x
              WHERE x.tenant_id = r.tenant_id AND x.request_id = r.id)
        """,
        {"template": template_id, "tenant": tenant_id},
    )


def _backoffice_session(tenant, user) -> str:
    """A logged-in back-office session for the shop's admin (the session key)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from backoffice.middleware import SESSION_TENANT_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SESSION_TENANT_KEY] = tenant.pk
    session.set_expiry(7 * 24 * 3600)
    session.save()
    return session.session_key


def seed(*, tenants: int, orders: int, state_path: Path) -> dict:
    """Create what is missing and return the load generator's state."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from orders.models import Order
    from returns.models import ReturnRequest
    from returns_platform.audit import Actor
    from returns_platform.tenancy import tenant_context, unscoped_context
    from tenants.models import Tenant
    from tenants.services import api_key_create, tenant_create

    state = json.loads(state_path.read_text()) if state_path.exists() else {"shops": {}}
    per_shop = max(2, orders // tenants)
    progress = tqdm(total=per_shop * tenants, unit="order", unit_scale=True, desc="seeding")
    for index in range(tenants):
        slug = f"bench{index:03d}"
        with unscoped_context():
            tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            tenant = tenant_create(
                name=f"Bench {index}",
                slug=slug,
                admin_email=f"admin@{slug}.example",
                admin_password=ADMIN_PASSWORD,
            )
        with tenant_context(tenant):
            have = Order.objects.count()
            with connection.cursor() as cursor:
                if have == 0:
                    _copy_customers(cursor, tenant.pk)
                for start in range(have, per_shop, CHUNK):
                    stop = min(start + CHUNK, per_shop)
                    with transaction.atomic():
                        order_id = _reserve_ids(cursor, "orders_order", stop - start)
                        line_id = _reserve_ids(
                            cursor, "orders_orderline", (stop - start) * LINES_PER_ORDER
                        )
                        _copy_orders(cursor, tenant.pk, start, stop, order_id, line_id)
                    progress.update(stop - start)
                progress.update(min(have, per_shop))
                shop = state["shops"].get(slug)
                template = _template_return(tenant)
                with transaction.atomic():
                    _clone_returns(cursor, tenant.pk, template.pk)
            if shop is None:
                key = api_key_create(name="bench", actor=Actor.system("bench")).plaintext
                admin = get_user_model().objects.get(email=f"admin@{slug}.example")
                step = max(1, per_shop // SAMPLE)
                numbers = [f"B{n}" for n in range(0, per_shop, step)][:SAMPLE]
                returns = list(
                    ReturnRequest.objects.order_by("?").values_list("rma", flat=True)[:SAMPLE]
                )
                tokens = [
                    ReturnRequest(tenant_id=tenant.pk, rma=rma).access_token()
                    for rma in returns[:50]
                ]
                state["shops"][slug] = {
                    "key": key,
                    "numbers": numbers,
                    "rmas": returns,
                    "tokens": tokens,
                    "session": _backoffice_session(tenant, admin),
                    "postcode": POSTCODE,
                }
    progress.close()
    with connection.cursor() as cursor:
        # VACUUM as well: freshly copied tables have no visibility map, and PostgreSQL then
        # prefers sorting a shop's rows to reading the (tenant_id, id) page indexes, which
        # autovacuum would soon change in production.
        cursor.execute("VACUUM (ANALYZE)")
    state.update(tenants=tenants, orders=per_shop * tenants)
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(state))
    return state


def pools(shops: dict, per_shop: int) -> None:
    """Add the write scenarios' material to each shop: lines to return, returns to approve.

    The requests the seed cloned first get back the status the seed gave them (what an
    earlier run approved is to be approved again), so every run finds the same pool.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE returns_returnrequest r SET status = {SEEDED_STATUS}
            FROM orders_order o
            WHERE o.tenant_id = r.tenant_id AND o.id = r.order_id AND r.rma LIKE 'S-%%'
              AND r.status <> {SEEDED_STATUS}
            """,
            [],
        )
        for slug, shop in shops.items():
            cursor.execute("SELECT id FROM tenants_tenant WHERE slug = %s", [slug])
            tenant_id = cursor.fetchone()[0]
            cursor.execute(
                """
                SELECT o.number, l.id FROM orders_orderline l
                JOIN orders_order o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
                WHERE l.tenant_id = %s AND l.position > 1 AND o.number LIKE 'B%%'
                  AND NOT EXISTS (SELECT 1 FROM returns_returnline r
                                  WHERE r.tenant_id = l.tenant_id AND r.order_line_id = l.id)
                ORDER BY l.id DESC LIMIT %s
                """,
                [tenant_id, per_shop],
            )
            shop["returnable"] = cursor.fetchall()
            cursor.execute(
                "SELECT rma FROM returns_returnrequest WHERE tenant_id = %s "
                "AND status = 'requested' ORDER BY id DESC LIMIT %s",
                [tenant_id, per_shop],
            )
            shop["requested"] = [row[0] for row in cursor.fetchall()]


def bench_secret(state_path: Path) -> str:
    """The SECRET_KEY shared by seeding and serving (status-page tokens are signed)."""
    secret_path = state_path.with_suffix(".secret")
    if not secret_path.exists():
        secret_path.parent.mkdir(parents=True, exist_ok=True)
        secret_path.write_text(secrets.token_urlsafe(64))
    return secret_path.read_text()
