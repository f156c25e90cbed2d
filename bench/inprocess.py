"""CPU time per request, in process: the steadiest figure on a machine shared with other work.

Started by ``bench/run.py --in-process N`` (same database, settings and requests as the
HTTP run) in the directory of the code to measure. Each request goes through Django's
whole stack (middleware, CSRF checks enforced) with the test client; the CPU time of
this process is taken per request (the database server's share is in the wall time),
next to the bare view's, and the queries of one request are counted.
"""

from __future__ import annotations

import cProfile
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "returns_platform.settings")
# A directory: each endpoint's requests are also run under cProfile, stats written there.
PROFILE_DIR = os.environ.get("BENCH_PROFILE")


def main(path: str, count: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_HOST="testserver")
    stamp = time.time_ns()
    counter = iter(range(10**9))

    def send(request):
        method, url, headers, body = request
        k = next(counter)
        ip = f"10.{k // 65536 % 256}.{k // 256 % 256}.{k % 256}"
        headers = {
            n: v.replace("{host}", "testserver").replace("{ip}", ip) for n, v in headers.items()
        }
        content_type = headers.pop("Content-Type", "application/octet-stream")
        data = body.replace("{n}", f"{stamp}-{k}").encode()
        return client.generic(method, url, data=data, content_type=content_type, headers=headers)

    def measure(requests, count, accepted=(200,), start=0):
        cpu, wall, unexpected = [], [], 0
        for index in range(start, start + count):
            request = requests[index % len(requests)]
            started, cpu_started = time.perf_counter(), time.process_time()
            status = send(request).status_code
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            unexpected += status not in accepted
        return statistics.median(cpu), statistics.median(wall), unexpected

    bare = [("GET", "/healthz", {"X-Forwarded-Proto": "https"}, "")]
    print(
        "| endpoint | queries | CPU ms | wall ms | bare CPU ms | share of bare (CPU) | "
        "unexpected status |\n|---|---:|---:|---:|---:|---:|---:|",
        file=sys.stderr,
    )
    results = []
    for name, requests, accepted in json.loads(Path(path).read_text()):
        warm = requests if "unchanged" in name else requests[:3]
        for request in warm:
            status = send(request).status_code
            if status not in accepted:
                print(f"  ! {name}: {status}", file=sys.stderr)
        queries = []

        def counted(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        sample = requests[len(requests) // 2]
        send(sample)  # its shop's key is now cached, as it is for a shop system that polls
        with connection.execute_wrapper(counted):
            send(sample)
        bare_cpu, _, _ = measure(bare, count)
        # After the warm-up's requests: a write that uses up what it changes would find
        # them refused.
        cpu, wall, unexpected = measure(
            requests, max(5, count // 50) if "bulk" in name else count, accepted, len(warm)
        )
        if PROFILE_DIR:  # the same requests again under cProfile, for a reader of the stats
            profiler = cProfile.Profile()
            profiler.enable()
            measure(requests, count, accepted)
            profiler.disable()
            slug = "".join(c if c.isalnum() else "_" for c in name).strip("_")
            profiler.dump_stats(str(Path(PROFILE_DIR) / f"{slug}.prof"))
        row = {
            "endpoint": name,
            "queries": len(queries),
            "cpu_ms": cpu,
            "wall_ms": wall,
            "bare_cpu_ms": bare_cpu,
            "share": bare_cpu / cpu,
            "unexpected": unexpected,
        }
        results.append(row)
        print(
            f"| `{name}` | {row['queries']} | {cpu:.2f} | {wall:.2f} | {bare_cpu:.2f} | "
            f"{row['share']:.0%} | {unexpected} |",
            file=sys.stderr,
            flush=True,
        )
    print("RESULTS " + json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
