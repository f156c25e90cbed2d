"""Throughput and latency of the main endpoints, each next to a bare Django JSON view.

Seeds the database named by DATABASE_URL (PostgreSQL for meaningful figures; SQLite
works for a smoke run) with --tenants shops and --orders orders in all, serves the app
with gunicorn on 127.0.0.1 exactly as production would, and sends a bounded number of
requests per endpoint from --concurrency client threads over keep-alive connections.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/returns_bench \
        .venv/bin/python bench/run.py --tenants 100 --orders 1000000

Prints one row per endpoint: requests/s, p50 and p99 in ms, and the ratio of its p50 to
the bare view's p50 (`/healthz`: a JsonResponse with no database work).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(tenants: int, orders: int) -> list[tuple[str, str, list[str]]]:
    """Create the shops and orders (idempotent); return (slug, api key, order numbers)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "returns_platform.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from orders.models import Order
    from orders.services import orders_bulk_upsert
    from returns_platform.audit import Actor
    from returns_platform.tenancy import tenant_context
    from tenants.models import Tenant
    from tenants.services import api_key_create, tenant_create
    from testing.orders import order_payload, service_data

    call_command("migrate", verbosity=0)
    per_tenant = max(1, orders // tenants)
    result = []
    started = time.perf_counter()
    for index in range(tenants):
        slug = f"bench{index:03d}"
        tenant = Tenant.objects.filter(slug=slug).first() or tenant_create(
            name=f"Bench {index}", slug=slug
        )
        with tenant_context(tenant):
            have = Order.objects.count()
            for start in range(have, per_tenant, 500):
                batch = [
                    service_data(order_payload(f"B{n}", lines=3, email=f"c{n % 5000}@x.nl"))
                    for n in range(start, min(start + 500, per_tenant))
                ]
                with transaction.atomic():
                    orders_bulk_upsert(orders=batch, actor=Actor.system("bench"))
            key = api_key_create(name="bench", actor=Actor.system("bench")).plaintext
        sample = [f"B{n}" for n in range(0, per_tenant, max(1, per_tenant // 50))]
        result.append((slug, key, sample))
    print(
        f"seeded {tenants} tenants x {per_tenant} orders in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return result


def serve(port: int) -> subprocess.Popen:
    env = {
        "DATABASE_CONN_MAX_AGE": "60",  # persistent connections, as in production
        **os.environ,
        "DEBUG": "true",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "returns_platform.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def measure(port, requests_, concurrency) -> tuple[float, float, float]:
    """Send each (method, path, headers, body) once; return (req/s, p50 ms, p99 ms)."""
    latencies: list[float] = []
    lock = threading.Lock()
    chunks = [requests_[i::concurrency] for i in range(concurrency)]

    def worker(chunk):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for method, path, headers, body in chunk:
            start = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            if response.status >= 400:
                raise RuntimeError(f"{method} {path}: {response.status}")
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p99 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400, help="per endpoint")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    shops = seed(args.tenants, args.orders)
    from testing.orders import order_payload

    port = free_port()
    server = serve(port)
    try:

        def auth(key):
            return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

        n = args.requests
        pick = [shops[i % len(shops)] for i in range(n)]
        scenarios = {
            "bare JSON view (/healthz)": [("GET", "/healthz", {}, None)] * n,
            "API order list (50)": [("GET", "/api/v1/orders/", auth(k), None) for _, k, _ in pick],
            "API order detail": [
                ("GET", f"/api/v1/orders/{numbers[i % len(numbers)]}/", auth(k), None)
                for i, (_, k, numbers) in enumerate(pick)
            ],
            "order upsert (new)": [
                (
                    "POST",
                    "/api/v1/orders/",
                    auth(k),
                    json.dumps(order_payload(f"U{time.time_ns()}-{i}", lines=3)),
                )
                for i, (_, k, _) in enumerate(pick)
            ],
            "order upsert (replay)": [
                ("POST", "/api/v1/orders/", auth(k), json.dumps(order_payload("B0", lines=3)))
                for _, k, _ in pick
            ],
        }
        for method, path, headers, body in scenarios["API order detail"][:3]:
            measure(port, [(method, path, headers, body)], 1)  # warm the workers
        rows = []
        for name, requests_ in scenarios.items():
            rows.append((name, *measure(port, requests_, args.concurrency)))
        bare_p50 = rows[0][2]
        print(f"\n{'endpoint':32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'p50 / bare':>10}")
        for name, throughput, p50, p99 in rows:
            print(f"{name:32} {throughput:8.0f} {p50:8.2f} {p99:8.2f} {p50 / bare_p50:10.1f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
