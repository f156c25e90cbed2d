"""ReDoc's bundle as the app serves it: the sidecar's file with its one remote asset (the
vendor's logo image, fetched from a CDN whatever the options) taken out, so the API docs
load nothing from another host."""

from __future__ import annotations

import functools
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

REMOTE_LOGO = '"https://cdn.redoc.ly/redoc/logo-mini.svg"'


@functools.cache
def redoc_bundle() -> bytes:
    import drf_spectacular_sidecar

    path = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar"
    source = (path / "redoc" / "bundles" / "redoc.standalone.js").read_text(encoding="utf-8")
    # An empty src fails at once; the bundle's onError handler then hides the image.
    return source.replace(REMOTE_LOGO, '""').encode()


@require_GET
@cache_control(public=True, max_age=86400)
def redoc_standalone(request: HttpRequest) -> HttpResponse:
    return HttpResponse(redoc_bundle(), content_type="text/javascript; charset=utf-8")
