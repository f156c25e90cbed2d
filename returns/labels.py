"""Return labels: an A6 PDF (and an A4 sheet with a cut line) with a Code 128 barcode of
the RMA number and a QR code that opens the consumer's status page.

Rendering speed comes from the same levers as the credit note (returns_platform/pdf.py,
whose font subset and font configuration are reused here): one small Latin face without
layout tables, a stylesheet compiled once per process per page format, and no text in
the barcode image (the number is printed as HTML text). The two codes are tiny PNGs with
one pixel per module, scaled up without smoothing, so WeasyPrint has no SVG to parse and
the printed bars stay sharp. The QR code's mask is fixed: letting the encoder try all
eight masks costs a quarter of a label. The label's own small user-agent stylesheet and
uncompressed PDF streams take off another third (figures in docs/portal.md).
"""

from __future__ import annotations

import base64
import functools
import io
import logging
from typing import Any

import barcode
import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from PIL import Image

from orders.carriers import CARRIER_NAMES, carrier_display_name
from returns.models import ReturnRequest
from returns.predicates import needs_label
from returns.statuses import ReturnMethod
from returns.workflow import status_path_for
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.pdf import brand_colour, document_font, font_config
from returns_platform.tenancy import require_current_tenant

logger = logging.getLogger(__name__)

# WeasyPrint reports every rendering step at INFO; a label a second would flood the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

TEMPLATE = "documents/label.html"
A6, A4 = "a6", "a4"
PAGE_FORMATS = (A6, A4)
QR_MASK = 4
BAR_HEIGHT_MODULES = 1

# The usual return carrier of a country, when the order does not name one.
COUNTRY_CARRIERS = {"NL": "postnl", "BE": "bpost", "DE": "dhl", "PL": "inpost", "SE": "postnord"}

STYLESHEET = """
@font-face { font-family: "Label Sans"; src: url("%(font)s"); }
@page { size: %(size)s; margin: %(margin)s; }
html { font-family: "Label Sans"; font-size: 8.5pt; color: #000; line-height: 1.25; }
body { margin: 0; }
.label { position: relative; width: 95mm; height: 138mm; }
.sheet .frame { border: 0.4mm dashed #000; padding: 4.6mm; width: 95mm; }
.cut { font-size: 7pt; margin-top: 2mm; }
.bar { height: 2.5mm; margin-bottom: 2.5mm; }
.shop { font-size: 9pt; min-height: 12mm; }
.rma { float: right; margin-left: 3mm; text-align: right; font-size: 16pt; line-height: 1.1; }
.small { font-size: 6.5pt; font-weight: normal; }
.box { clear: both; border: 0.35mm solid #000; padding: 2mm; margin-bottom: 2mm; }
.to { font-size: 11pt; line-height: 1.3; }
.barcode { display: block; width: 88mm; height: 16mm; margin-top: 3mm; image-rendering: pixelated; }
.digits { text-align: center; font-size: 10pt; margin-top: .5mm; }
.qr { position: absolute; right: 0; bottom: 0; width: 25mm; height: 25mm;
      image-rendering: pixelated; }
.hint { position: absolute; left: 0; bottom: 0; width: 64mm; font-size: 7pt; }
"""
# The label template uses only these elements, so it needs only their defaults instead of
# WeasyPrint's full HTML user-agent stylesheet, which is cascaded onto every element.
LABEL_USER_AGENT_STYLESHEET = """
html, body, div { display: block; }
head, title, meta, style, script { display: none; }
span, b, br { display: inline; }
br::before { content: "\\A"; white-space: pre-line; }
b { font-weight: bold; }
img { display: inline-block; }
"""
PAGE_SETTINGS = {
    A6: {"size": "A6", "margin": "5mm"},
    A4: {"size": "A4", "margin": "10mm"},
}


def status_url(return_request: ReturnRequest) -> str:
    """The absolute address of the consumer's status page (what the QR code opens)."""
    return status_url_for(return_request.tenant_id, return_request.rma)


def status_url_for(tenant_id: int, rma: str) -> str:
    """``status_url`` of the current shop's return ``rma``, without the return itself."""
    return settings.PUBLIC_BASE_URL + status_path_for(tenant_id, rma)


def carrier_name(order: Any) -> str:
    code = (order.carrier or COUNTRY_CARRIERS.get(order.shipping_country, "")).lower()
    return carrier_display_name(code) if code in CARRIER_NAMES else code.upper()


def _png(image: Image.Image) -> str:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=1)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def barcode_modules(text: str) -> str:
    """The Code 128 pattern of ``text`` as '1' (bar) and '0' (space) modules."""
    return barcode.get("code128", text).build()[0]


def barcode_data_uri(text: str, *, quiet_zone: int = 10) -> str:
    """Code 128 of ``text`` as a one-pixel-high PNG (one pixel per module, no text)."""
    modules = "0" * quiet_zone + barcode_modules(text) + "0" * quiet_zone
    image = Image.new("1", (len(modules), BAR_HEIGHT_MODULES), 1)
    image.putdata([0 if module == "1" else 1 for module in modules] * BAR_HEIGHT_MODULES)
    return _png(image)


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG with one pixel per module and a 4-module border."""
    code = segno.make(text, error="m", mask=QR_MASK, micro=False, boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=1, border=4)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def qr_svg(text: str, *, title: str = "") -> str:
    """A QR code as inline SVG for a web page (scales crisply on any screen)."""
    code = segno.make(text, error="m", micro=False)
    return code.svg_inline(scale=6, border=4, title=title or None, dark="#000", light="#fff")


@functools.cache
def _stylesheet(page_format: str):
    from weasyprint import CSS

    css = STYLESHEET % {"font": document_font().as_uri(), **PAGE_SETTINGS[page_format]}
    return CSS(string=css, font_config=font_config())


@functools.cache
def _label_document_class():
    """WeasyPrint's HTML with the label's small user-agent stylesheet (see above)."""
    from weasyprint import CSS, HTML

    user_agent = CSS(string=LABEL_USER_AGENT_STYLESHEET, font_config=font_config())

    class LabelHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [user_agent]

    return LabelHTML if hasattr(HTML, "_ua_stylesheets") else HTML


def label_context(return_request: ReturnRequest) -> dict:
    tenant = require_current_tenant()
    order = return_request.order
    customer_name = (order.customer.name if order.customer_id else "") or order.shipping_name
    return {
        "tenant": tenant,
        "brand": brand_colour(tenant),
        "return_request": return_request,
        "order": order,
        "customer_name": customer_name,
        "method_label": ReturnMethod(return_request.method).label,
        "carrier": carrier_name(order),
        "barcode": barcode_data_uri(return_request.rma),
        "qr": qr_data_uri(status_url(return_request)),
    }


def render_label_html(return_request: ReturnRequest, *, page_format: str = A6) -> str:
    context = label_context(return_request)
    context["sheet"] = page_format == A4
    with translation.override(return_request.language or "en"):
        return render_to_string(TEMPLATE, context)


def render_label_pdf(return_request: ReturnRequest, *, page_format: str = A6) -> bytes:
    if page_format not in PAGE_FORMATS:
        raise ValueError(f"Unknown label format {page_format!r}.")
    html = render_label_html(return_request, page_format=page_format)
    # Uncompressed streams: deflating them is a fifth of a label's time, for a file of
    # tens of kilobytes that is printed once.
    return _label_document_class()(string=html).write_pdf(
        stylesheets=[_stylesheet(page_format)],
        font_config=font_config(),
        uncompressed_pdf=True,
    )


@transaction.atomic
def return_label_store(*, return_request_id: int) -> ReturnRequest | None:
    """Render and store both label formats once; a second run finds them and stops.

    The row is locked while the files are written, so two workers given the same request
    store one label, and the second sees ``label_ready_at`` set and does nothing.
    """
    locked = (
        ReturnRequest.objects.select_for_update(of=("self",))
        .select_related("order", "order__customer")
        .filter(pk=return_request_id)
        .first()
    )
    if locked is None or locked.label_ready_at is not None or not needs_label(locked):
        return locked
    locked.label_pdf.save(
        f"{locked.rma}-a6.pdf", ContentFile(render_label_pdf(locked, page_format=A6)), save=False
    )
    locked.label_pdf_a4.save(
        f"{locked.rma}-a4.pdf", ContentFile(render_label_pdf(locked, page_format=A4)), save=False
    )
    locked.label_ready_at = timezone.now()
    locked.save(update_fields=["label_pdf", "label_pdf_a4", "label_ready_at", "updated_at"])
    events.record(
        "return.label_ready",
        actor=Actor.system("labels"),
        subject=locked,
        order_number=locked.order.number,
        data={"method": locked.method, "carrier": carrier_name(locked.order)},
    )
    return locked


def label_file(return_request: ReturnRequest, *, page_format: str = A6):
    """The stored label of ``page_format`` as an open file; rendered again from the request
    when the stored file has gone (media restored without it, storage moved), so a lost
    file never becomes an error for the customer or the shop's system."""
    field = return_request.label_pdf_a4 if page_format == A4 else return_request.label_pdf
    if field:
        try:
            return field.open("rb")
        except FileNotFoundError:
            logger.warning(
                "Label file %s of %s is missing; rendering it again", field.name, return_request.rma
            )
    return io.BytesIO(render_label_pdf(return_request, page_format=page_format))


def label_queue(*, return_request: ReturnRequest) -> None:
    """Render the label after the transaction that stored the request commits.

    With tasks eager (embedded mode) that is at once; with a worker, the status page
    shows "preparing" until the task has stored it.
    """
    if not needs_label(return_request):
        return
    from returns.tasks import render_return_label

    tenant_id, request_id = return_request.tenant_id, return_request.pk
    # robust: a broker outage is logged instead of turning the committed change into a 500.
    transaction.on_commit(lambda: render_return_label.delay(tenant_id, request_id), robust=True)
