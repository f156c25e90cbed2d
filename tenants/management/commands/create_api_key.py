from django.core.management.base import BaseCommand, CommandError

from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.models import Tenant
from tenants.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key for a tenant. The key is printed once, on the last line."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", default="Created from the command line")

    def handle(self, *args, **options):
        tenant = Tenant.objects.filter(slug=options["slug"]).first()
        if tenant is None:
            raise CommandError(f"No tenant with slug {options['slug']!r}.")
        with tenant_context(tenant):
            issued = api_key_create(name=options["name"], actor=Actor.system("create_api_key"))
        self.stderr.write(f"API key {issued.api_key.prefix} for {tenant.slug}; store it now:")
        self.stdout.write(issued.plaintext)
