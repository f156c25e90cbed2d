"""The shop's colour, and a text colour that reads on it (WCAG AA contrast)."""

from __future__ import annotations

from returns_platform.pdf import brand_colour


def _luminance(hex_colour: str) -> float:
    channels = []
    for start in (1, 3, 5):
        value = int(hex_colour[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def brand_palette(tenant) -> dict[str, str]:
    """``brand`` (validated #rrggbb) and ``brand_text``: white or near-black, whichever
    contrasts more, so a shop with a light colour still gets readable buttons."""
    colour = brand_colour(tenant)
    white, black = "#ffffff", "#111111"
    text = white if contrast_ratio(colour, white) >= contrast_ratio(colour, black) else black
    return {"brand": colour, "brand_text": text}
