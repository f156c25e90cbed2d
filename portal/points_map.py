"""A small self-drawn map of service points: SVG made here, no map tiles.

The portal cannot load tiles from a map service (no external host is reachable from the
places it runs, and customers' browsers should not be sent to a third party for this), so
the points are placed by their coordinates on a plain canvas: an equirectangular
projection around the points, scaled to fit, with numbered markers matching the list.
Good enough to see which point lies where relative to the others; the list carries the
addresses and distances.
"""

from __future__ import annotations

import math

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT, PADDING = 320, 200, 24


def project(points, *, width: int = WIDTH, height: int = HEIGHT) -> list[tuple[float, float]]:
    """(x, y) for each point's (latitude, longitude), north up, fitted into the box."""
    if not points:
        return []
    lats = [p.latitude for p in points]
    lons = [p.longitude for p in points]
    mid_lat = math.radians(sum(lats) / len(lats))
    xs = [lon * math.cos(mid_lat) for lon in lons]
    span = max(max(xs) - min(xs), max(lats) - min(lats), 1e-6)
    scale = min(width - 2 * PADDING, height - 2 * PADDING) / span
    centre_x = (max(xs) + min(xs)) / 2
    centre_y = (max(lats) + min(lats)) / 2
    return [
        (
            round(width / 2 + (x - centre_x) * scale, 1),
            round(height / 2 - (lat - centre_y) * scale, 1),
        )
        for x, lat in zip(xs, lats, strict=True)
    ]


def points_svg(points, *, title: str) -> str:
    positions = project(points)
    markers = format_html_join(
        "",
        '<g class="marker" data-point="{}" tabindex="-1"><circle cx="{}" cy="{}" r="9"></circle>'
        '<text x="{}" y="{}" text-anchor="middle">{}</text><title>{}</title></g>',
        (
            (point.id, x, y, x, y + 4, index, point.name)
            for index, (point, (x, y)) in enumerate(zip(points, positions, strict=True), start=1)
        ),
    )
    return format_html(
        '<svg class="points-map" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<rect width="100%" height="100%" class="ground"></rect>{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        markers,
    )
