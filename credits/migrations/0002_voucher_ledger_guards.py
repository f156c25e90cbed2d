"""On PostgreSQL, the database guards the voucher ledger a second time.

- Ledger entries are append-only: UPDATE and DELETE are refused.
- A voucher's balance can only change to the sum of its ledger, i.e. together with the
  entry that explains it (the service writes the entry first, then the balance), and a
  new voucher starts at zero.

TRUNCATE (test database flushes) does not fire row triggers.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION credits_voucher_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'voucher ledger entries are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS voucher_entry_append_only ON credits_voucherentry;
CREATE TRIGGER voucher_entry_append_only
    BEFORE UPDATE OR DELETE ON credits_voucherentry
    FOR EACH ROW EXECUTE FUNCTION credits_voucher_entry_append_only();

CREATE OR REPLACE FUNCTION credits_voucher_balance_matches_ledger() RETURNS trigger AS $$
DECLARE
    ledger numeric;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO ledger FROM credits_voucherentry
        WHERE tenant_id = NEW.tenant_id AND voucher_id = NEW.id;
    IF NEW.balance <> ledger THEN
        RAISE EXCEPTION 'voucher % balance % differs from its ledger %', NEW.id, NEW.balance, ledger
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS voucher_balance_matches_ledger ON credits_voucher;
CREATE TRIGGER voucher_balance_matches_ledger
    BEFORE INSERT OR UPDATE OF balance ON credits_voucher
    FOR EACH ROW EXECUTE FUNCTION credits_voucher_balance_matches_ledger();
"""
DROP = """
DROP TRIGGER IF EXISTS voucher_entry_append_only ON credits_voucherentry;
DROP FUNCTION IF EXISTS credits_voucher_entry_append_only();
DROP TRIGGER IF EXISTS voucher_balance_matches_ledger ON credits_voucher;
DROP FUNCTION IF EXISTS credits_voucher_balance_matches_ledger();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("credits", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
