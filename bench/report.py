"""The benchmark's results as ready-to-paste markdown tables (used by ``bench/run.py``).

Every table is preceded by the conditions it was measured under: when, which commit,
how many shops and orders, and the machine's load average before and after the run (on
a machine shared with other work the absolute figures follow the load; the shares of
the bare view and the in-process CPU times much less).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from pathlib import Path

HTTP_HEADER = (
    "| endpoint | req/s | p50 ms | p99 ms | bare req/s | share of bare | errors |\n"
    "|---|---:|---:|---:|---:|---:|---:|"
)
CPU_HEADER = (
    "| endpoint | queries | CPU ms | wall ms | bare CPU ms | share of bare (CPU) | "
    "unexpected status |\n|---|---:|---:|---:|---:|---:|---:|"
)


def conditions(app_dir: Path) -> dict:
    """When, on which commit and under which load (call again at the end for ``load_end``)."""
    commit = subprocess.run(
        ["git", "-C", str(app_dir), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": commit or "(not a git checkout)",
        "load": _load(),
    }


def _load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def title(results: dict) -> str:
    facts = results.get("conditions", {})
    return (
        f"**{results['tenants']} shops, {results['orders']:,} orders** — measured "
        f"{facts.get('measured_at', '?')} on commit `{facts.get('commit', '?')}`, load average "
        f"(1, 5, 15 min) {facts.get('load', '?')} at the start and "
        f"{facts.get('load_end', '?')} at the end"
    )


def format_row(row: dict) -> str:
    extra = f" ({row['orders_per_s']:,.0f} orders/s)" if row.get("orders_per_s") else ""
    return (
        f"| `{row['endpoint']}` | {row['rps']:,.0f}{extra} | {row['p50_ms']:.1f} | "
        f"{row['p99_ms']:.1f} | {row['bare_rps']:,.0f} | {row['share']:.0%} | {row['errors']} |"
    )


def format_cpu_row(row: dict) -> str:
    return (
        f"| `{row['endpoint']}` | {row['queries']} | {row['cpu_ms']:.2f} | {row['wall_ms']:.2f} | "
        f"{row['bare_cpu_ms']:.2f} | {row['share']:.0%} | {row['unexpected']} |"
    )


def markdown(results: dict) -> str:
    """The run's tables: HTTP (wrk) and/or in process, under their conditions."""
    results.setdefault("conditions", {})["load_end"] = _load()
    parts = [title(results), ""]
    if results.get("rows"):
        parts += [HTTP_HEADER, *(format_row(row) for row in results["rows"]), ""]
    if results.get("in_process"):
        parts += [CPU_HEADER, *(format_cpu_row(row) for row in results["in_process"]), ""]
    return "\n".join(parts)


def compare(small_path: str, large_path: str) -> None:
    """Two runs (e.g. 10,000 and 1,000,000 orders) side by side, with the growth."""
    small, large = (json.loads(Path(p).read_text()) for p in (small_path, large_path))
    s, m = f"{small['orders']:,}", f"{large['orders']:,}"
    print(f"- {title(small)}\n- {title(large)}\n")
    if small.get("rows") and large.get("rows"):
        print(
            f"| endpoint | req/s at {s} | p50 / p99 ms at {s} | share at {s} | req/s at {m} | "
            f"p50 / p99 ms at {m} | share at {m} | p50 growth |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        by_name = {row["endpoint"]: row for row in large["rows"]}
        growth = []
        for row in small["rows"]:
            other = by_name.get(row["endpoint"])
            if other is None:
                continue
            ratio = other["p50_ms"] / row["p50_ms"] if row["p50_ms"] else float("nan")
            growth.append(ratio)
            print(
                f"| `{row['endpoint']}` | {row['rps']:,.0f} | {row['p50_ms']:.1f} / "
                f"{row['p99_ms']:.1f} | {row['share']:.0%} | {other['rps']:,.0f} | "
                f"{other['p50_ms']:.1f} / {other['p99_ms']:.1f} | {other['share']:.0%} | "
                f"{ratio:.2f}x |"
            )
        if growth:
            print(f"\nmedian p50 growth {statistics.median(growth):.2f}x, worst {max(growth):.2f}x")
    if small.get("in_process") and large.get("in_process"):
        print(
            f"\n| endpoint | queries | CPU ms at {s} | share at {s} | CPU ms at {m} | "
            f"share at {m} | growth |\n|---|---:|---:|---:|---:|---:|---:|"
        )
        by_name = {row["endpoint"]: row for row in large["in_process"]}
        for row in small["in_process"]:
            other = by_name.get(row["endpoint"])
            if other is None:
                continue
            print(
                f"| `{row['endpoint']}` | {row['queries']} | {row['cpu_ms']:.2f} | "
                f"{row['share']:.0%} | {other['cpu_ms']:.2f} | {other['share']:.0%} | "
                f"{other['cpu_ms'] / row['cpu_ms']:.2f}x |"
            )
