"""Return label PDF rendering time: median, p90 and mean over --count labels.

    .venv/bin/python bench/labels.py --count 200 [--format a6|a4] [--check]

Renders in process, without a database: the label is built from unsaved objects, so the
figure is the rendering alone (template, barcode, QR code, WeasyPrint), as the label task
does it after loading the request. Wall-clock and CPU time are both reported: on a
machine shared with other work the CPU figure is the steadier one. The first label is
rendered before timing starts (it builds the font subset and compiles the stylesheet,
once per process). ``--check``
decodes the last label's barcode and QR code with zxing-cpp as a sanity check.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "returns_platform.settings")

TARGET_MS = 40.0


def build_request(tenant, index: int):
    from django.utils import timezone

    from orders.models import Order
    from returns.models import ReturnRequest

    order = Order(
        tenant=tenant,
        number=f"{100000 + index}",
        email="zofia.kowalska@example.pl",
        language="pl",
        currency="EUR",
        shipping_name="Zofia Kowalska",
        shipping_street="ul. Marszałkowska 100",
        shipping_postcode="00-026",
        shipping_city="Warszawa",
        shipping_country="PL",
        placed_at=timezone.now(),
        carrier="inpost",
        delivery_cost=Decimal("4.95"),
    )
    return ReturnRequest(
        tenant=tenant,
        rma=f"R-{index:06d}",
        order=order,
        case_type="return",
        resolution="refund",
        method="drop_off",
        currency="EUR",
        language="pl",
        email=order.email,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--format", choices=["a6", "a4"], default="a6")
    parser.add_argument("--check", action="store_true", help="decode the last label's codes")
    args = parser.parse_args()

    import django

    django.setup()
    from returns.labels import render_label_pdf, status_url
    from returns_platform.tenancy import tenant_context
    from tenants.models import Tenant

    tenant = Tenant(
        pk=1,
        name="Demo Fashion",
        slug="demo",
        brand_colour="#1f4b99",
        return_address_name="Demo Fashion Returns",
        return_address_street="Returnweg 7",
        return_address_postcode="3542 AD",
        return_address_city="Utrecht",
        return_address_country="NL",
    )
    timings, cpu_timings = [], []
    with tenant_context(tenant):
        render_label_pdf(build_request(tenant, 0), page_format=args.format)  # warm-up
        for index in range(1, args.count + 1):
            return_request = build_request(tenant, index)
            started, cpu_started = time.perf_counter(), time.process_time()
            pdf = render_label_pdf(return_request, page_format=args.format)
            timings.append((time.perf_counter() - started) * 1000)
            cpu_timings.append((time.process_time() - cpu_started) * 1000)
        url = status_url(return_request)
    timings.sort()
    median = statistics.median(timings)
    p90 = timings[int(len(timings) * 0.9) - 1]
    print(
        f"label {args.format}: {len(timings)} labels, median {median:.1f} ms, "
        f"p90 {p90:.1f} ms, mean {statistics.fmean(timings):.1f} ms, "
        f"CPU median {statistics.median(cpu_timings):.1f} ms, "
        f"{len(pdf)} bytes (target: median <= {TARGET_MS:.0f} ms)"
    )
    if args.check:
        from testing.barcodes import decode_pdf

        # The status-page token is signed with the time it was made, so the QR code is
        # compared by what its token says (shop and RMA) and by the address it opens.
        found = decode_pdf(pdf)
        qr = found.get("QRCode", "")
        token = qr.rstrip("/").rsplit("/", 1)[-1]
        ok = (
            found.get("Code128") == return_request.rma
            and qr.startswith(url.rstrip("/").rsplit("/", 1)[0] + "/")
            and return_request.read_access_token(token) == (tenant.pk, return_request.rma)
        )
        print(f"decoded: {found} -> {'ok' if ok else 'MISMATCH'}")
        if not ok:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
