"""Throughput and latency of the main endpoints, each as a share of the bare view.

Seeds the PostgreSQL database named by DATABASE_URL with --tenants shops and --orders
orders in all (``bench/seed.py``: COPY, with a progress bar), serves the app with
gunicorn as docker-compose.yml does (``DEBUG=false``, persistent connections, Redis
cache, an application role that does not own the tables, so row-level security
applies), and loads every endpoint with ``wrk`` and a Lua script that rotates over many
ids and sends the API key (``bench/wrk/rotate.lua``). Right before each endpoint the
bare view ``/healthz`` (a JsonResponse through the same middleware, no database) is
measured for as long, and the endpoint's req/s is printed as a share of it: on a machine
shared with other work the share is the steadier figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/returns_bench \\
    REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/run.py --tenants 100 --orders 1000000 --json var/bench/1m.json
    .venv/bin/python bench/run.py --compare var/bench/10k.json var/bench/1m.json

The Redis database named by REDIS_URL is flushed before the run (look-up rate limits).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import report  # noqa: E402 - bench/ is put on the path just above

BULK = 500
HTTPS = {"X-Forwarded-Proto": "https"}
CSRF = "b" * 32  # the CSRF cookie's secret; the form sends the same, unmasked


def app_role_url(database_url: str) -> str:
    """Create (once) a role that does not own the tables; return DATABASE_URL for it."""
    from django.db import connection

    parsed = urlparse(database_url)
    role = f"{parsed.path.lstrip('/')}_app"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS')
        cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        cursor.execute(
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'
        )
        cursor.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    netloc = f"{role}@{parsed.hostname}:{parsed.port or 5432}"
    return parsed._replace(netloc=netloc).geturl()


def collect_static(env: dict, app_dir: Path) -> None:
    """DEBUG=false serves static files from the manifest: build it as a deployment does."""
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=app_dir,
        env=env,
        check=True,
    )


def in_process(shops: dict, env: dict, app_dir: Path, count: int, only: list | None) -> list:
    """Run ``bench/inprocess.py`` over the same requests; return its rows."""
    chosen = [
        (name, requests, sorted(accepted))
        for name, requests, accepted, _ in scenarios(shops)
        if requests and not (only and not any(word in name for word in only))
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(chosen, file)
        file.flush()
        output = subprocess.run(
            [
                str(ROOT / ".venv/bin/python"),
                str(ROOT / "bench/inprocess.py"),
                file.name,
                str(count),
            ],
            cwd=app_dir,
            env={**env, "ALLOWED_HOSTS": "testserver"},
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    print("\n".join(line for line in output.splitlines() if not line.startswith("RESULTS ")))
    line = next(line for line in output.splitlines() if line.startswith("RESULTS "))
    return json.loads(line.removeprefix("RESULTS "))


def serve(port: int, env: dict, workers: int, app_dir: Path) -> subprocess.Popen:
    """gunicorn as docker-compose.yml runs it (static files collected first)."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"Port {port} is taken: the run would measure another server.")
    collect_static(env, app_dir)
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "returns_platform.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=app_dir,
        env=env,
    )
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200 and process.poll() is None:
                return process
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


# Scenarios whose requests each use up their material: a second slice must not repeat them.
CONSUMING = frozenset(
    {"POST /api/v1/returns/ (create)", "POST /api/v1/returns/{rma}/transitions/ (approve)"}
)


def scenarios(shops: dict) -> list[tuple[str, list, set, int]]:
    """(name, [(method, path, headers, body)], accepted statuses, orders per request)."""
    from testing.orders import order_payload

    def api(shop, json_body=False):
        headers = {**HTTPS, "Authorization": f"Bearer {shop['key']}"}
        if json_body:
            headers["Content-Type"] = "application/json"
        return headers

    def each(build):
        return [item for slug, shop in shops.items() for item in build(slug, shop)]

    def upsert(number):
        return json.dumps(order_payload(number, lines=3), separators=(",", ":"))

    def bulk(prefix):
        orders = [order_payload(f"{prefix}{k}", lines=3) for k in range(BULK)]
        return json.dumps({"orders": orders}, separators=(",", ":"))

    def return_body(number, line_id):
        body = {
            "order": number,
            "resolution": "refund",
            "method": "drop_off",
            "lines": [{"order_line": line_id, "quantity": 1, "reason": "too_large"}],
        }
        return json.dumps(body, separators=(",", ":"))

    first = next(iter(shops.values()))
    replay_bulk = bulk("RB-")
    lookup_headers = {
        **HTTPS,
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={CSRF}",
        "X-Forwarded-For": "{ip}",
    }
    return [
        (
            "GET /api/v1/orders/{number}/",
            each(lambda s, p: [("GET", f"/api/v1/orders/{n}/", api(p), "") for n in p["numbers"]]),
            {200},
            0,
        ),
        (
            "GET /api/v1/orders/?limit=50",
            each(lambda s, p: [("GET", "/api/v1/orders/?limit=50", api(p), "")]),
            {200},
            0,
        ),
        (
            "GET /api/v1/returns/{rma}/",
            each(lambda s, p: [("GET", f"/api/v1/returns/{r}/", api(p), "") for r in p["rmas"]]),
            {200},
            0,
        ),
        (
            "GET /api/v1/returns/?limit=50",
            each(lambda s, p: [("GET", "/api/v1/returns/?limit=50", api(p), "")]),
            {200},
            0,
        ),
        (
            "GET /r/{slug}/ (portal start)",
            each(lambda s, p: [("GET", f"/r/{s}/", HTTPS, "")]),
            {200},
            0,
        ),
        (
            "POST /r/{slug}/ (portal look-up)",
            each(
                lambda s, p: [
                    (
                        "POST",
                        f"/r/{s}/",
                        {**lookup_headers, "Origin": "https://{host}"},
                        urlencode(
                            {
                                "csrfmiddlewaretoken": CSRF,
                                "reference": n,
                                "identity": p["postcode"],
                            }
                        ),
                    )
                    for n in p["numbers"]
                ]
            ),
            {302},
            0,
        ),
        (
            "GET /r/{slug}/s/{token}/ (status page)",
            each(lambda s, p: [("GET", f"/r/{s}/s/{t}/", HTTPS, "") for t in p["tokens"]]),
            {200},
            0,
        ),
        (
            "GET /backoffice/queue/",
            each(
                lambda s, p: [
                    (
                        "GET",
                        "/backoffice/queue/",
                        {**HTTPS, "Cookie": f"sessionid={p['session']}"},
                        "",
                    )
                ]
            ),
            {200},
            0,
        ),
        (
            "GET /backoffice/requests/{rma}/",
            each(
                lambda s, p: [
                    (
                        "GET",
                        f"/backoffice/requests/{r}/",
                        {**HTTPS, "Cookie": f"sessionid={p['session']}"},
                        "",
                    )
                    for r in p["rmas"][:50]
                ]
            ),
            {200},
            0,
        ),
        (
            "GET /api/v1/returns/{rma}/label.pdf",
            each(
                lambda s, p: [
                    ("GET", f"/api/v1/returns/{r}/label.pdf", api(p), "") for r in p["rmas"][:50]
                ]
            ),
            {200},
            0,
        ),
        (
            "GET /api/v1/analytics/returns/",
            each(lambda s, p: [("GET", "/api/v1/analytics/returns/", api(p), "")]),
            {200},
            0,
        ),
        (
            "POST /api/v1/orders/ (new order)",
            each(lambda s, p: [("POST", "/api/v1/orders/", api(p, True), upsert("N-{n}"))]),
            {201},
            1,
        ),
        (
            "POST /api/v1/orders/ (unchanged replay)",
            [("POST", "/api/v1/orders/", api(first, True), upsert(f"R-{k}")) for k in range(20)],
            {200, 201},
            1,
        ),
        (
            f"POST /api/v1/orders/bulk/ ({BULK} new)",
            [("POST", "/api/v1/orders/bulk/", api(first, True), bulk("NB-{n}-"))],
            {200},
            BULK,
        ),
        (
            f"POST /api/v1/orders/bulk/ ({BULK} unchanged)",
            [("POST", "/api/v1/orders/bulk/", api(first, True), replay_bulk)],
            {200},
            BULK,
        ),
        (
            "POST /api/v1/returns/ (create)",
            each(
                lambda s, p: [
                    ("POST", "/api/v1/returns/", api(p, True), return_body(n, line))
                    for n, line in p["returnable"]
                ]
            ),
            {201},
            0,
        ),
        (
            "POST /api/v1/returns/{rma}/transitions/ (approve)",
            each(
                lambda s, p: [
                    (
                        "POST",
                        f"/api/v1/returns/{r}/transitions/",
                        api(p, True),
                        '{"to":"approved"}',
                    )
                    for r in p["requested"]
                ]
            ),
            {200},
            0,
        ),
    ]


def write_requests(requests: list, host: str, path: Path) -> None:
    with path.open("w") as out:
        for method, url, headers, body in requests:
            header_text = "\x1e".join(
                f"{name}: {value.replace('{host}', host)}" for name, value in headers.items()
            )
            out.write(f"{method}\x1f{url}\x1f{header_text}\x1f{body}\n")


def preflight(port: int, request: tuple, accepted: set) -> int:
    """Send one request by hand; its status must be one the scenario expects."""
    method, url, headers, body = request
    host = f"127.0.0.1:{port}"
    headers = {
        name: value.replace("{host}", host).replace("{ip}", "10.255.255.1")
        for name, value in headers.items()
    }
    body = body.replace("{n}", f"pre-{time.time_ns()}")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, url, body=body or None, headers=headers)
    response = connection.getresponse()
    content = response.read()
    if response.status not in accepted:
        print(f"  ! {method} {url}: {response.status} {content[:300]!r}", file=sys.stderr)
    return response.status


def drain(port: int, limit_s: float = 60.0) -> None:
    """Wait until the server has worked off what the last slice left queued (slow bulk
    requests keep both workers busy after wrk stops): two quick bare answers in a row."""
    deadline = time.monotonic() + limit_s
    quick = 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=limit_s)
            connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            connection.getresponse().read()
        except OSError:
            quick = 0
            time.sleep(0.2)
            continue
        quick = quick + 1 if time.monotonic() - started < 0.05 else 0


def wrk(
    port: int, requests_file: Path, args, start: int | None = None, duration: int | None = None
) -> dict:
    """One slice of ``duration`` seconds (``--duration``). Given a ``start``, the threads
    take turns along the file from there (a write that uses up what it changes); the
    result's ``used`` is how many requests of the file they took."""
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration or args.duration}s",
        "--timeout",
        "30s",
        "-s",
        str(ROOT / "bench/wrk/rotate.lua"),
        f"http://127.0.0.1:{port}",
        "--",
        str(requests_file),
        str(time.time_ns()),
        *([] if start is None else [str(start), str(args.threads)]),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def fitted_duration(left: int, rounds_left: int, slices: list, longest: int) -> int:
    """Seconds for the next slice of a write that uses up its material: at most
    ``longest``, short enough that the ``left`` requests last the ``rounds_left`` slices
    at the rate of the last slice (a fifth more, to be safe), or at first at 600 a second.
    A pool too small even for one second runs out: the refused requests show as errors."""
    rate = slices[-1][1]["rps"] * 1.2 if slices else 600
    return max(1, min(longest, int(left / rounds_left / rate)))


def run(args) -> dict:
    from seed import bench_secret, pools, seed

    database_url = os.environ["DATABASE_URL"]
    database = urlparse(database_url).path.lstrip("/")
    state_path = ROOT / "var/bench" / f"{database}.json"
    os.environ["SECRET_KEY"] = bench_secret(state_path)
    # The key the embedded profile derives; set, so that DEBUG=false serving accepts it.
    digest = hashlib.sha256(b"field-encryption:" + os.environ["SECRET_KEY"].encode()).digest()
    os.environ["FIELD_ENCRYPTION_KEYS"] = base64.urlsafe_b64encode(digest).decode()
    os.environ.pop("REDIS_URL", None)  # seeding renders its labels in process
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var/media"))  # the labels, for --app-dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "returns_platform.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    state = seed(tenants=args.tenants, orders=args.orders, state_path=state_path)
    print(f"seeded/checked {state['orders']:,} orders in {time.perf_counter() - started:.0f} s")
    shops = state["shops"]
    pools(shops, per_shop=max(50, 20_000 // len(shops)))
    redis_url = args.redis_url
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    env = {
        **os.environ,
        "DEBUG": "false",
        "DATABASE_URL": app_role_url(database_url),
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        # wrk stands in for the TLS proxy: it tells the scheme and the client address.
        "TRUSTED_PROXIES": "127.0.0.1/32",
    }
    app_dir = Path(args.app_dir or ROOT)
    results = {
        "tenants": args.tenants,
        "orders": state["orders"],
        "rows": [],
        "conditions": report.conditions(app_dir),
    }
    if args.in_process:
        collect_static(env, app_dir)
        results["in_process"] = in_process(shops, env, app_dir, args.in_process, args.only)
        return results
    server = serve(args.port, env, args.workers, app_dir)
    try:
        with tempfile.TemporaryDirectory() as folder:
            bare_file = Path(folder) / "bare"
            write_requests([("GET", "/healthz", HTTPS, "")], "", bare_file)
            for name, requests, accepted, orders_each in scenarios(shops):
                if args.only and not any(word in name for word in args.only):
                    continue
                if not requests:
                    continue
                # Replays must find their orders: create them one by one first.
                warm = requests if "unchanged" in name else requests[-1:]
                status = [preflight(args.port, request, accepted) for request in warm][-1]
                requests_file = Path(folder) / "requests"
                write_requests(requests, f"127.0.0.1:{args.port}", requests_file)
                # Alternate bare and endpoint slices: load from other work on the machine
                # drifts, and the share is taken slice against neighbouring slice.
                # A write that uses up what it changes (a line returned, a request
                # approved) goes on where the previous slice stopped, not from the start.
                slices, start = [], 0
                for round_ in range(args.rounds):
                    drain(args.port)
                    bare = wrk(args.port, bare_file, args)
                    if name in CONSUMING:
                        seconds = fitted_duration(
                            len(requests) - start, args.rounds - round_, slices, args.duration
                        )
                        result = wrk(args.port, requests_file, args, start, seconds)
                        start += result["used"]
                    else:
                        result = wrk(args.port, requests_file, args)
                    slices.append((bare, result))
                shares = [
                    result["rps"] / bare["rps"] if bare["rps"] else float("nan")
                    for bare, result in slices
                ]
                middle = sorted(range(len(slices)), key=lambda i: shares[i])[len(slices) // 2]
                bare, result = slices[middle]
                row = {
                    "endpoint": name,
                    "bare_rps": bare["rps"],
                    "rps": result["rps"],
                    "share": shares[middle],
                    "p50_ms": result["p50_us"] / 1000,
                    "p99_ms": result["p99_us"] / 1000,
                    "errors": sum(r["status_errors"] + r["socket_errors"] for _, r in slices),
                    "preflight": status,
                    "orders_per_s": result["rps"] * orders_each if orders_each else None,
                }
                results["rows"].append(row)
                print(report.format_row(row), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--orders", type=int, default=10_000, help="in all")
    parser.add_argument("--duration", type=int, default=5, help="seconds per slice")
    parser.add_argument(
        "--rounds", type=int, default=3, help="bare/endpoint slice pairs; the median is shown"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8171)
    parser.add_argument("--only", nargs="*", help="endpoints whose name contains a word")
    parser.add_argument(
        "--app-dir", help="serve the code in this directory (e.g. an export of another commit)"
    )
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--in-process",
        type=int,
        metavar="N",
        help="instead of serving: N requests per endpoint in process, CPU time per request",
    )
    parser.add_argument("--compare", nargs=2, metavar=("SMALL", "LARGE"))
    args = parser.parse_args()
    args.redis_url = os.environ.get("REDIS_URL", "")
    if args.compare:
        report.compare(*args.compare)
        return
    results = run(args)
    # Ready to paste into docs/performance.md, with the load it was measured under.
    print("\n" + report.markdown(results))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
