from django.core.management.base import BaseCommand, CommandError

from tenants.services import TenantError, tenant_create


class Command(BaseCommand):
    help = "Create a shop (tenant) with its first admin user."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument(
            "--admin-password",
            default=None,
            help="Leave out to create the user without a usable password.",
        )
        parser.add_argument("--currency", default="EUR")
        parser.add_argument("--country", default="NL")
        parser.add_argument("--language", default="en")

    def handle(self, *args, **options):
        try:
            tenant = tenant_create(
                name=options["name"],
                slug=options["slug"],
                admin_email=options["admin_email"],
                admin_password=options["admin_password"],
                currency=options["currency"],
                country=options["country"],
                default_language=options["language"],
            )
        except TenantError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Created tenant {tenant.slug} (id {tenant.pk}).")
