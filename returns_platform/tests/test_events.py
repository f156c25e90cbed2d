"""Domain events: ``record`` checks the catalogue, writes one history row and publishes."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.event_catalogue import (
    CATALOGUE,
    EVENT_TYPES,
    SUBJECTS,
    catalogue_markdown,
    docs_with_catalogue,
    voucher_code_prefix,
)
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context

pytestmark = pytest.mark.django_db

ACTOR = Actor.system("test")


def _payload(name: str) -> dict:
    return dict.fromkeys(CATALOGUE[name].fields, "x")


@pytest.fixture
def heard():
    """The events a subscriber of ``return.approved`` only is handed."""
    seen: list[events.DomainEvent] = []
    events.subscribe(seen.append, names=["return.approved"])
    yield seen
    events.unsubscribe(seen.append)


def test_an_unknown_event_name_is_refused_and_writes_nothing(tenant, published):
    with tenant_context(tenant):
        before = AuditEvent.objects.count()
        with pytest.raises(events.UnknownEvent), transaction.atomic():
            events.record("return.teleported", actor=ACTOR, subject_id="R-000001", data={})
        with pytest.raises(events.UnknownEvent):
            events.publish("return.teleported", subject_type="return", subject_id="R-000001")
        assert AuditEvent.objects.count() == before
    assert published == []
    with pytest.raises(events.UnknownEvent):
        events.subscribe(print, names=["order.teleported"])


def test_a_payload_missing_a_catalogued_field_is_refused(tenant, published):
    payload = _payload("voucher.issued")
    del payload["expires_at"]
    with tenant_context(tenant):
        before = AuditEvent.objects.count()
        with pytest.raises(events.IncompletePayload, match="expires_at"):
            events.record("voucher.issued", actor=ACTOR, subject_id="7K3M", payload=payload)
        with pytest.raises(events.IncompletePayload, match="changed"):
            events.record("tenant.settings_changed", actor=ACTOR, subject_id="acme", data={})
        assert AuditEvent.objects.count() == before
    assert published == []


def test_record_writes_one_history_row_and_publishes_the_payload(tenant, published, heard):
    history = {"from": "requested", "to": "approved"}
    with tenant_context(tenant):
        before = AuditEvent.objects.count()
        event = events.record(
            "return.approved",
            actor=ACTOR,
            subject_id="R-000007",
            order_number="1001",
            data=history,
            payload=_payload("return.approved"),
        )
        [row] = AuditEvent.objects.filter(sequence__gt=before)
    assert (row.action, row.subject_type, row.subject_id) == (
        "return.approved",
        "return",
        "R-000007",
    )
    assert (row.order_number, row.data, row.actor_label) == ("1001", history, "test")
    assert published == [event] and heard == [event]
    assert (event.subject_type, event.subject_id) == ("return", "R-000007")
    assert event.data == _payload("return.approved")


def test_a_subscriber_hears_only_the_events_it_named(tenant, heard):
    with tenant_context(tenant):
        events.record("tenant.settings_changed", actor=ACTOR, subject=tenant, data={"changed": {}})
        events.record(
            "return.approved", actor=ACTOR, subject_id="R-1", payload=_payload("return.approved")
        )
    assert [event.name for event in heard] == ["return.approved"]


def test_record_many_refuses_published_events(tenant):
    occurrence = events.Occurrence("order.shipped", subject_id="1001", data={})
    with tenant_context(tenant), pytest.raises(ValueError, match="record"):
        events.record_many(actor=ACTOR, occurrences=[occurrence])


class _Voucher:
    code = "7K3MQ9XD2HPAV0CEJN4T"


class _Note:
    pk, number = 12, ""


def test_subject_ids_follow_the_catalogues_convention():
    assert voucher_code_prefix("7k3m-q9xd-2hpa-v0ce-jn4t") == "7K3M"
    assert events.subject_id_of("voucher", _Voucher()) == "7K3M"
    assert events.subject_id_of("credit_note", _Note()) == "draft-12"
    booked = _Note()
    booked.number = "CN-2026-00042"
    assert events.subject_id_of("credit_note", booked) == "CN-2026-00042"


def test_every_event_names_a_known_subject_type_and_is_listed_once():
    assert len(CATALOGUE) == len(EVENT_TYPES)
    assert {event.subject_type for event in EVENT_TYPES} <= set(SUBJECTS)
    assert all(event.audit or event.webhook for event in EVENT_TYPES)


def test_the_api_docs_hold_the_catalogue_as_it_is():
    text = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text(encoding="utf-8")
    assert docs_with_catalogue(text) == text, "run: manage.py event_catalogue --write"
    for event in EVENT_TYPES:
        assert f"| `{event.name}` |" in text
    call_command("event_catalogue", "--check")


def test_the_docs_check_fails_when_the_docs_differ(tmp_path, monkeypatch):
    from returns_platform.management.commands import event_catalogue as command

    stale = catalogue_markdown().replace("`voucher.issued`", "`voucher.handed_out`")
    docs = tmp_path / "api.md"
    start, end = (
        "<!-- event catalogue: written by `manage.py event_catalogue --write` -->",
        ("<!-- end of the event catalogue -->"),
    )
    docs.write_text(f"# API\n\n{start}\n\n{stale}\n{end}\n", encoding="utf-8")
    monkeypatch.setattr(command, "DOCS", docs)
    with pytest.raises(CommandError, match="out of date"):
        call_command("event_catalogue", "--check")
    call_command("event_catalogue", "--write")
    call_command("event_catalogue", "--check")
    assert "`voucher.issued`" in docs.read_text(encoding="utf-8")


def _recorded_names() -> dict[str, list[str]]:
    """Every event name written as a literal (or f-string prefix) in a record() call."""
    import ast

    root = Path(settings.BASE_DIR)
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if {".venv", "var", "tests", "testing"} & set(parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name != "record":
                continue
            first = node.args[0]
            literals = [first] if isinstance(first, ast.Constant) else []
            if isinstance(first, ast.IfExp):
                literals = [first.body, first.orelse]
            if isinstance(first, ast.JoinedStr):
                literals = [first.values[0]]
            for literal in literals:
                if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                    found.setdefault(literal.value, []).append(str(path.relative_to(root)))
    return found


def test_every_name_a_service_records_is_in_the_catalogue():
    names = _recorded_names()
    assert len(names) > 40  # the scan sees the services
    unknown = {
        name: paths
        for name, paths in names.items()
        if name not in CATALOGUE and not any(key.startswith(name) for key in CATALOGUE)
    }
    assert unknown == {}


# Where writing history or publishing directly is allowed: the event module itself.
DIRECT_CALLS_ALLOWED = {"returns_platform/events.py", "returns_platform/audit.py"}


def test_services_record_events_only_through_record():
    """History rows and publications go through ``events.record``: no direct
    ``audit_record``/``audit_record_many``/``publish`` call in the application's code."""
    import ast

    root = Path(settings.BASE_DIR)
    direct = []
    for path in sorted(root.rglob("*.py")):
        relative = str(path.relative_to(root))
        parts = set(path.relative_to(root).parts)
        if {".venv", "var", "tests", "testing", "bench"} & parts or relative in (
            DIRECT_CALLS_ALLOWED
        ):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in {"audit_record", "audit_record_many", "publish"}:
                    direct.append(f"{relative}:{node.lineno} {name}")
    assert direct == []
