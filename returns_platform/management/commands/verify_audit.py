from django.core.management.base import BaseCommand, CommandError

from returns_platform.audit import audit_verify_chain
from returns_platform.models import AuditChain, AuditEvent
from returns_platform.tenancy import tenant_context, tenant_model


class Command(BaseCommand):
    help = "Check every tenant's audit hash chain; report the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="Slug of one tenant to check.")

    def handle(self, *args, **options):
        tenants = tenant_model().objects.order_by("pk")
        if options["tenant"]:
            tenants = tenants.filter(slug=options["tenant"])
            if not tenants:
                raise CommandError(f"No tenant with slug {options['tenant']!r}.")
        broken = 0
        for tenant in tenants:
            with tenant_context(tenant):
                report = audit_verify_chain(
                    events=AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000),
                    chain=AuditChain.objects.first(),
                )
            if report.intact:
                self.stdout.write(f"{tenant.slug}: all {report.checked} links hold.")
            else:
                broken += 1
                self.stdout.write(
                    f"{tenant.slug}: BROKEN at event {report.broken_at}: {report.problem} "
                    f"({report.checked} events before it hold)."
                )
        if broken:
            raise CommandError(f"{broken} tenant chain(s) broken.")
