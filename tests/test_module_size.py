"""No Python module of the project grows past 600 lines: past that a reader loses the
thread, and the module is split by what its parts are about."""

from __future__ import annotations

from pathlib import Path

MAX_LINES = 600
ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", "var", ".git", "node_modules"}


def project_modules() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED.intersection(path.relative_to(ROOT).parts)
    ]


def test_no_module_is_longer_than_600_lines():
    modules = project_modules()
    assert len(modules) > 100  # the walk found the project, not an empty folder
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in modules
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}
