from django.core.management.base import BaseCommand, CommandError

from tenants.models import ChannelKind
from tenants.services import DEFAULT_CHANNELS, TenantError, tenant_create


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
        parser.add_argument(
            "--channel",
            action="append",
            default=[],
            metavar="CODE[:KIND[:NAME]]",
            help="A further sales channel (repeatable; kind webshop, marketplace or store). "
            "Every shop starts with the channel 'webshop'.",
        )

    def _channels(self, specs: list[str]) -> tuple:
        channels = list(DEFAULT_CHANNELS)
        for spec in specs:
            code, _, rest = spec.partition(":")
            kind, _, name = rest.partition(":")
            kind = kind or ChannelKind.WEBSHOP
            if not code or kind not in ChannelKind.values:
                raise CommandError(f"--channel {spec!r}: expected CODE[:KIND[:NAME]].")
            if code not in {existing[0] for existing in channels}:
                channels.append((code, name or code, kind))
        return tuple(channels)

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
                channels=self._channels(options["channel"]),
            )
        except TenantError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Created tenant {tenant.slug} (id {tenant.pk}).")
