"""Checking and storing uploaded photos and documents of a return.

Images are decoded and re-encoded with Pillow, which drops anything hidden in the file
(metadata, appended payloads) and proves it is an image; PDFs are accepted by their
header. Stored names are random (``returns.models.attachment_path``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError

from returns_platform.errors import DomainError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# A 6,300 x 6,300 PNG of 128 KB decodes to 160 MB and costs seconds: refuse beyond a
# 25-megapixel photo (phones store 12 MP by default), and store at most 2,560 px a side.
MAX_PIXELS = 25_000_000
MAX_SIDE = 2560
MAX_ATTACHMENTS = 10


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content: bytes
    content_type: str
    line_index: int | None


def _read(upload: Any) -> bytes:
    if isinstance(upload, bytes):
        return upload
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(MAX_ATTACHMENT_BYTES + 1)


def attachment_check(*, name: str, upload: Any, line_index: int | None = None) -> CheckedUpload:
    data = _read(upload)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise DomainError(code="attachment_too_large", status=413, params={"name": name})
    if data.startswith(b"%PDF-"):
        return CheckedUpload(name, data, "application/pdf", line_index)
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("JPEG", "PNG", "WEBP"):
                raise DomainError(code="invalid_attachment", params={"name": name})
            if image.width * image.height > MAX_PIXELS:
                raise DomainError(code="attachment_too_large.pixels", params={"name": name})
            source_format = image.format
            if source_format == "JPEG":
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at a reduced scale
            image.load()
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if source_format == "PNG":
                image.save(out, format="PNG")
                content_type = "image/png"
            else:
                image.convert("RGB").save(out, format="JPEG", quality=88)
                content_type = "image/jpeg"
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise DomainError(code="invalid_attachment", params={"name": name}) from error
    return CheckedUpload(name, out.getvalue(), content_type, line_index)


def attachments_check(attachments: list[dict] | None) -> list[CheckedUpload]:
    """``[{"name", "file", "line": index or None}]`` -> checked uploads (nothing stored)."""
    attachments = attachments or []
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(code="too_many_attachments")
    return [
        attachment_check(
            name=str(item.get("name") or getattr(item["file"], "name", "") or "upload")[:200],
            upload=item["file"],
            line_index=item.get("line"),
        )
        for item in attachments
    ]
