from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from returns_platform.event_catalogue import catalogue_markdown, docs_with_catalogue

DOCS = Path(settings.BASE_DIR) / "docs" / "api.md"


class Command(BaseCommand):
    help = "Print the event catalogue as Markdown, or write it into docs/api.md (--write)."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--write", action="store_true", help="Update docs/api.md.")
        action.add_argument(
            "--check", action="store_true", help="Fail when docs/api.md is out of date."
        )

    def handle(self, *args, **options):
        if not (options["write"] or options["check"]):
            self.stdout.write(catalogue_markdown(), ending="")
            return
        text = DOCS.read_text(encoding="utf-8")
        wanted = docs_with_catalogue(text)
        if options["check"]:
            if wanted != text:
                raise CommandError("docs/api.md's event catalogue is out of date: run --write.")
            self.stdout.write("docs/api.md matches the event catalogue.")
            return
        DOCS.write_text(wanted, encoding="utf-8")
        self.stdout.write("docs/api.md: event catalogue written.")
