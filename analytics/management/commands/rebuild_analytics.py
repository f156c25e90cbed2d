"""Rewrite the analytics' daily aggregate rows from the source tables."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from analytics.aggregation import analytics_days_refresh, analytics_rebuild
from returns_platform.tenancy import tenant_context
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Rebuild the daily analytics rows of every shop (or of --tenant SLUG)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="Only this shop (its slug).")
        parser.add_argument("--from", dest="start", help="First day (YYYY-MM-DD).")
        parser.add_argument("--to", dest="end", help="Last day (YYYY-MM-DD), inclusive.")

    def handle(self, *args, tenant=None, start=None, end=None, **options):
        tenants = Tenant.objects.order_by("pk")
        if tenant:
            tenants = tenants.filter(slug=tenant)
            if not tenants.exists():
                raise CommandError(f"No shop with the slug {tenant!r}.")
        try:
            first = date.fromisoformat(start) if start else None
            last = date.fromisoformat(end) if end else None
        except ValueError as error:
            raise CommandError(f"Dates are YYYY-MM-DD: {error}") from error
        if (first is None) != (last is None):
            raise CommandError("Give both --from and --to, or neither.")
        for shop in tenants:
            with tenant_context(shop):
                if first is not None:
                    analytics_days_refresh(start=first, end=last + timedelta(days=1))
                    days = (last - first).days + 1
                else:
                    days = analytics_rebuild()
            self.stdout.write(f"{shop.slug}: {days} days rebuilt")
