"""The backup and restore procedure of docs/operations.md, run end to end on PostgreSQL.

A shop with an order, a return (with its line snapshot), a booked credit note paid as a
voucher that was partly redeemed, and a stored file is backed up with ``pg_dump`` plus a
tar of the media directory, restored with ``pg_restore`` into a scratch database and a
new media directory, and read back: the same rows, the voucher's balance equal to its
ledger, the audit chain complete, the database guards (triggers, CHECK constraints,
row-level security policies) in place, and the file byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tarfile
from decimal import Decimal

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from credits.services import credit_note_book, credit_note_create, voucher_redeem
from credits.services.credit_notes import Payout
from returns_platform.tenancy import tenant_context
from testing.credits import STAFF, inspected_return

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _env() -> dict:
    settings = connection.settings_dict
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": settings["HOST"] or "127.0.0.1",
            "PGPORT": str(settings["PORT"] or 5432),
            "PGUSER": settings["USER"] or "postgres",
            "PGPASSWORD": settings["PASSWORD"] or "",
        }
    )
    return env


def _run(*command: str) -> None:
    subprocess.run(command, check=True, env=_env(), capture_output=True, timeout=300)


def _facts(cursor) -> dict:
    """What must survive: a few rows of every money table and the guards."""
    queries = {
        "orders": "SELECT number, currency, total FROM orders_order ORDER BY number",
        "return_lines": "SELECT sku, name, unit_price, tax_rate, quantity "
        "FROM returns_returnline ORDER BY id",
        "credit_notes": "SELECT number, status, total, currency FROM credits_creditnote "
        "ORDER BY id",
        "vouchers": "SELECT code, balance, (SELECT SUM(amount) FROM credits_voucherentry e "
        "WHERE e.voucher_id = v.id) FROM credits_voucher v ORDER BY id",
        "audit": "SELECT COUNT(*), MAX(sequence) FROM returns_platform_auditevent",
        "triggers": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname",
        "checks": "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'c' "
        "AND conname LIKE '%%currency_code'",
        "policies": "SELECT COUNT(*) FROM pg_policies WHERE policyname = 'tenant_isolation'",
    }
    facts = {}
    for name, sql in queries.items():
        cursor.execute(sql)
        facts[name] = cursor.fetchall()
    return facts


def test_a_backup_restores_into_an_empty_database_with_data_and_media(tenant, tmp_path, settings):
    with tenant_context(tenant):
        return_request = inspected_return(resolution="refund", inspect=False)
        note = credit_note_create(
            order=return_request.order,
            reason="goodwill",
            payout=Payout(method="voucher"),
            actor=STAFF,
            description="Late",
            amount=Decimal("12.50"),
        )
        note = credit_note_book(credit_note=note, actor=STAFF)
        voucher_redeem(voucher=note.voucher, amount=Decimal("2.50"), actor=STAFF)
    stored = default_storage.save("credit_notes/backup-check.pdf", ContentFile(b"%PDF-1.7 x"))
    with connection.cursor() as cursor:
        before = _facts(cursor)
    assert before["vouchers"][0][1] == before["vouchers"][0][2] == Decimal("10.00")

    # Back up (docs/operations.md, "Backup and restore").
    database = connection.settings_dict["NAME"]
    dump = tmp_path / "returns.dump"
    media_archive = tmp_path / "media.tar.gz"
    _run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", database)
    with tarfile.open(media_archive, "w:gz") as archive:
        archive.add(settings.MEDIA_ROOT, arcname=".")

    # Restore into a scratch database and a new media directory.
    scratch = f"{database}_restore_{os.getpid()}"
    _run("dropdb", "--if-exists", scratch)
    _run("createdb", scratch)
    try:
        _run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={scratch}", str(dump))
        restored_media = tmp_path / "restored-media"
        with tarfile.open(media_archive) as archive:
            archive.extractall(restored_media, filter="data")
        params = connection.get_connection_params()
        params["dbname"] = scratch
        params.pop("database", None)
        with psycopg2.connect(**params) as restored, restored.cursor() as cursor:
            after = _facts(cursor)
        restored.close()
    finally:
        _run("dropdb", "--if-exists", scratch)

    assert after == before
    assert after["return_lines"], "the return lines were restored"
    assert after["credit_notes"][0][0].startswith("CN-")
    assert {"audit_event_append_only", "voucher_entry_append_only"} <= {
        name for (name,) in after["triggers"]
    }
    assert after["policies"][0][0] > 0 and after["checks"][0][0] >= 6
    original = (settings.MEDIA_ROOT / stored).read_bytes()
    copy = (restored_media / stored).read_bytes()
    assert hashlib.sha256(copy).digest() == hashlib.sha256(original).digest()
