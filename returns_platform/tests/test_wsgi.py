"""The web process tunes its garbage collector when it loads the application."""

from __future__ import annotations

import gc
import importlib
import sys


def test_loading_the_wsgi_application_tunes_the_collector():
    before = gc.get_threshold()
    sys.modules.pop("returns_platform.wsgi", None)
    try:
        wsgi = importlib.import_module("returns_platform.wsgi")
        assert gc.get_threshold() == wsgi.GC_THRESHOLD == (10_000, 10, 10)
        assert gc.get_freeze_count() > 0
        assert callable(wsgi.application)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
