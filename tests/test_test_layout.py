"""The tests' own layout: a test module imports helpers from ``testing``, never from
another test module, and fixtures come from ``testing.fixtures`` or the app's conftest."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", "var", "node_modules", ".git"}


def _test_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIP.intersection(path.relative_to(ROOT).parts)
        and ("tests" in path.relative_to(ROOT).parts[:-1] or path.name == "conftest.py")
    )


def _imported_modules(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.append(node.module)
            modules.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
    return modules


def _is_test_code(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or parts[0] == "conftest" or parts[-1] == "conftest"


def test_no_test_module_imports_another_test_module():
    offenders = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _test_files()
        for module in _imported_modules(path)
        if _is_test_code(module) and not module.startswith("testing")
    }
    assert offenders == set()


def test_password_hashing_is_made_cheap_in_one_place():
    defined = [
        str(path.relative_to(ROOT))
        for path in [*_test_files(), *sorted((ROOT / "testing").glob("*.py"))]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name == "_fast_password_hashing"
    ]
    assert defined == ["testing/fixtures.py"]
