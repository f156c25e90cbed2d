"""Compile every committed gettext catalogue (*.po) into the *.mo Django reads.

Pure Python (polib), so a fresh machine needs no system gettext tools. Only catalogues
that are newer than their compiled file are rewritten; fuzzy entries are left out, as
``msgfmt`` does.
"""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SKIP_DIRS = {".venv", "var", "node_modules", ".git"}


def catalogues(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*.po")
        if "LC_MESSAGES" in path.parts and not SKIP_DIRS.intersection(path.relative_to(root).parts)
    )


class Command(BaseCommand):
    help = "Compile the project's *.po catalogues into *.mo files (no gettext tools needed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rewrite every *.mo.")

    def handle(self, *args, force: bool = False, **options):
        compiled = 0
        for po_path in catalogues(Path(settings.BASE_DIR)):
            mo_path = po_path.with_suffix(".mo")
            if (
                not force
                and mo_path.exists()
                and mo_path.stat().st_mtime >= po_path.stat().st_mtime
            ):
                continue
            try:
                catalogue = polib.pofile(str(po_path))
            except (OSError, ValueError) as error:
                raise CommandError(f"{po_path}: {error}") from error
            for entry in catalogue.fuzzy_entries():
                catalogue.remove(entry)
            catalogue.save_as_mofile(str(mo_path))
            compiled += 1
        if options["verbosity"] >= 1:
            self.stdout.write(f"{compiled} catalogue(s) compiled.")
