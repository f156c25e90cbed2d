"""Check that every voucher's balance equals the sum of its ledger, for every tenant."""

from django.core.management.base import BaseCommand, CommandError

from credits.selectors import voucher_ledger_mismatches
from returns_platform.money import quantize
from returns_platform.tenancy import tenant_context, unscoped_context
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Verify voucher balances against their append-only ledgers (exit 1 on a mismatch)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="Only this tenant (slug).")

    def handle(self, *args, **options):
        with unscoped_context():
            tenants = Tenant.objects.order_by("pk")
            if options.get("tenant"):
                tenants = tenants.filter(slug=options["tenant"])
            tenants = list(tenants)
        mismatches = 0
        for tenant in tenants:
            with tenant_context(tenant):
                for voucher, ledger in voucher_ledger_mismatches():
                    mismatches += 1
                    self.stderr.write(
                        f"{tenant.slug}: voucher {voucher.pk} (…{voucher.code[-4:]}) "
                        f"balance {voucher.balance} != ledger "
                        f"{quantize(ledger, voucher.currency)} {voucher.currency}"
                    )
        if mismatches:
            raise CommandError(f"{mismatches} voucher balance(s) differ from their ledger.")
        self.stdout.write(f"OK: voucher balances match their ledgers in {len(tenants)} tenant(s).")
