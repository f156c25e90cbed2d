"""Images for upload tests."""

from __future__ import annotations

import io

from PIL import Image


def photo_bytes(fmt="JPEG", *, exif=False, size=(64, 48)) -> bytes:
    """A small red photo; with ``exif`` it carries a camera make and a description."""
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x010E] = "Taken at Kerkstraat 1"  # ImageDescription
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def small_png() -> bytes:
    """An 8x8 red PNG."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()
