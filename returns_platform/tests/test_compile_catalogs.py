"""compile_catalogs turns committed *.po files into *.mo without system gettext tools."""

from __future__ import annotations

import gettext

from django.core.management import call_command

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Return my items"
msgstr "Mijn artikelen retourneren"

#, fuzzy
msgid "Unsure"
msgstr "Misschien"
"""


def test_catalogues_compile_and_fuzzy_entries_are_left_out(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    po_path = tmp_path / "portal" / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(PO, encoding="utf-8")
    ignored = tmp_path / ".venv" / "lib" / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    ignored.parent.mkdir(parents=True)
    ignored.write_text(PO, encoding="utf-8")

    call_command("compile_catalogs", verbosity=0)

    with open(po_path.with_suffix(".mo"), "rb") as mo:
        translations = gettext.GNUTranslations(mo)
    assert translations.gettext("Return my items") == "Mijn artikelen retourneren"
    assert translations.gettext("Unsure") == "Unsure"
    assert not ignored.with_suffix(".mo").exists()
