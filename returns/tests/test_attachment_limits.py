"""Photos are bounded by pixel count and stored at a bounded size."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from returns.attachments import MAX_SIDE, attachment_check
from returns_platform.errors import DomainError


def _image(width: int, height: int, image_format: str) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format=image_format)
    buffer.seek(0)
    return buffer


def test_a_huge_but_small_png_is_refused_before_it_is_decoded():
    upload = _image(6300, 6300, "PNG")
    assert len(upload.getvalue()) < 200 * 1024  # tiny on disk, 160 MB decoded
    with pytest.raises(DomainError) as refused:
        attachment_check(name="bomb.png", upload=upload)
    assert refused.value.code == "attachment_too_large"


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_a_large_photo_is_stored_at_a_bounded_size(image_format):
    checked = attachment_check(name="photo", upload=_image(4000, 3000, image_format))
    with Image.open(io.BytesIO(checked.content)) as stored:
        assert max(stored.size) == MAX_SIDE
        assert stored.size[0] / stored.size[1] == pytest.approx(4 / 3, rel=0.01)
