"""Reading labels back: render a PDF page to an image and decode its barcodes."""

from __future__ import annotations


def decode_pdf(pdf: bytes, *, scale: float = 4.0) -> dict[str, str]:
    """Barcode format name -> decoded text, for every code zxing-cpp finds on page one."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=scale).to_pil().convert("L")
    finally:
        document.close()
    found = {}
    for result in zxingcpp.read_barcodes(image):
        found[result.format.name] = result.text
    return found
