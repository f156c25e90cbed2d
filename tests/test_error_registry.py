"""Every refusal the code can raise is registered, with the values its message needs, and
reads in every language of the platform.

The raise sites are read from the source (``ast``): a ``code="..."`` given to
``DomainError`` or one of its subclasses, a subclass's own ``code``, and the keys of the
return policy's ``_invalid`` helper. A code nobody registered, or a message placeholder
a raise site does not fill, fails here instead of showing a bare code to a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from returns_platform.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    lookup,
    register,
    registry,
)

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", "var", "tests", "migrations", "testing", "node_modules", "bench"}
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
# Raise sites whose code comes from another layer's error: each is checked below.
DYNAMIC_SITES = {
    "carriers/api.py": "a carrier's code: registered ones pass, others become carrier_error",
    "notifications/services.py": "an unsafe webhook target's code (notifications.webhooks)",
    "returns/policy.py": "the _invalid helper: invalid_policy.<variant>",
}


def _error_classes() -> dict[str, type[DomainError]]:
    found, todo = {}, [DomainError]
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls
        todo.extend(cls.__subclasses__())
    return found


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if SKIP.intersection(parts) or parts[-1].startswith("test_"):
            continue
        yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text())


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _constants(node: ast.expr) -> list[str] | None:
    """The string(s) an expression can be: a constant or a conditional of constants."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _constants(node.body), _constants(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def raise_sites() -> tuple[list[tuple[str, int, str, set[str] | None]], list[str]]:
    """([(module, line, key, params given or None when not literal)], dynamic sites)."""
    classes = _error_classes()
    sites, dynamic = [], []
    for module, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(_name(b) in classes for b in node.bases):
                for item in node.body:
                    if (
                        isinstance(item, ast.Assign)
                        and [_name(t) for t in item.targets] == ["code"]
                        and _constants(item.value)
                    ):
                        sites.append((module, item.lineno, item.value.value, None))
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            if _name(node.func) == "_invalid" and module == "returns/policy.py":
                variant = _constants(node.args[0])[0]
                given = {k for k in keywords if k}
                sites.append((module, node.lineno, f"invalid_policy.{variant}", given))
                continue
            if _name(node.func) not in classes:
                continue
            code = keywords.get("code")
            if code is None:
                continue
            keys = _constants(code)
            if keys is None:
                dynamic.append(f"{module}:{node.lineno}")
                continue
            params = keywords.get("params")
            given = (
                {k.value for k in params.keys if isinstance(k, ast.Constant)}
                if isinstance(params, ast.Dict) and None not in params.keys
                else (set() if params is None else None)
            )
            sites.extend((module, node.lineno, key, given) for key in keys)
    return sites, dynamic


def test_every_raised_code_is_registered_and_gets_the_values_its_message_needs():
    sites, dynamic = raise_sites()
    assert len(sites) > 150  # the walk found the raise sites (and so can fail)
    problems = []
    for module, line, key, given in sites:
        entry = lookup(key)
        if entry is None:
            problems.append(f"{module}:{line}: {key!r} is not registered")
        elif given is not None and not entry.placeholders <= given:
            missing = sorted(entry.placeholders - given)
            problems.append(f"{module}:{line}: {key!r} needs {missing}")
    assert problems == []
    assert {site.split(":")[0] for site in dynamic} <= set(DYNAMIC_SITES), dynamic


def test_the_codes_other_layers_hand_over_are_registered():
    webhooks = (ROOT / "notifications" / "webhooks.py").read_text()
    unsafe = [
        _constants(k.value)[0]
        for node in ast.walk(ast.parse(webhooks))
        if isinstance(node, ast.Call) and _name(node.func) == "UnsafeTarget"
        for k in node.keywords
        if k.arg == "code"
    ]
    assert len(unsafe) >= 4
    assert [code for code in unsafe if lookup(code) is None] == []
    assert lookup("credentials_missing") and lookup("carrier_error")


def test_every_registered_message_reads_in_every_language():
    untranslated = []
    for key, entry in registry().items():
        for text in (entry.template, entry.public):
            if not isinstance(text, Promise):
                continue  # a bare "%(reason)s": the value is the translated text
            with translation.override("en"):
                english = str(text)
            for language in LANGUAGES:
                with translation.override(language):
                    if str(text) == english:
                        untranslated.append(f"{language}: {key}")
    assert untranslated == []


def test_statuses_are_http_errors_and_codes_are_stable_identifiers():
    for key, entry in registry().items():
        assert 400 <= entry.status < 600, key
        assert entry.code.replace("_", "").isalnum() and entry.code.islower(), key


def test_a_refusal_renders_in_the_active_language_with_its_values():
    error = ConflictError(code="not_receivable", params={"status": "completed"}, status_now="x")
    assert error.status == 409 and error.code == "not_receivable"
    with translation.override("en"):
        assert error.message == "A return that is completed cannot be received."
    with translation.override("nl"):
        assert error.message == "Een retour met status completed kan niet worden ontvangen."
        assert error.as_dict() == {
            "code": "not_receivable",
            "message": "Een retour met status completed kan niet worden ontvangen.",
            "status_now": "x",
        }


def test_a_variant_answers_with_its_code_and_its_own_message():
    error = DomainError(code="invalid_refund.too_high", params={"total": "9.00", "currency": "EUR"})
    assert error.code == "invalid_refund" and error.key == "invalid_refund.too_high"
    with translation.override("de"):
        assert "9.00 EUR" in error.message and "Erstattung" in error.message
    assert NotFoundError(code="not_found.refund", params={"refund_id": 7}).status == 404


def test_registering_a_key_again_with_other_terms_fails_loudly():
    register("not_found", 404, "Not found.")  # the same terms: fine (a module imported twice)
    with pytest.raises(ValueError):
        register("not_found", 410, "Gone.")
