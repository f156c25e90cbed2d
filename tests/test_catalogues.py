"""Every gettext catalogue of the project is complete: no message left empty or fuzzy.

Django falls back to English for an empty or fuzzy entry (``compile_catalogs`` leaves
fuzzy ones out, as ``msgfmt`` does), so a missing translation shows as English text on
a Dutch, German, Polish or Swedish page, mail or PDF without anything failing. English
is the source language: its catalogues may leave a message empty (the msgid is the text).
Placeholders must survive translation, or formatting the text fails at runtime.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from returns_platform.management.commands.compile_catalogs import catalogues

SOURCE_LANGUAGE = "en"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
CATALOGUES = catalogues(Path(settings.BASE_DIR))


def _language(path: Path) -> str:
    return path.parent.parent.name


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def _name(path: Path) -> str:
    return str(path.relative_to(settings.BASE_DIR))


def test_the_catalogues_are_found():
    found = {_name(path) for path in CATALOGUES}
    # Every app with screens, the returns labels and the mails, in every language they have.
    assert {
        "portal/locale/de/LC_MESSAGES/django.po",
        "returns/locale/sv/LC_MESSAGES/django.po",
        "backoffice/locale/nl/LC_MESSAGES/django.po",
        "credits/locale/pl/LC_MESSAGES/django.po",
        "notifications/locale/nl/LC_MESSAGES/django.po",
        "notifications/locale/de/LC_MESSAGES/django.po",
        "notifications/locale/pl/LC_MESSAGES/django.po",
        "notifications/locale/sv/LC_MESSAGES/django.po",
    } <= found


def missing_translations(path: Path) -> list[str]:
    """The messages of the catalogue at ``path`` that a reader would see in English."""
    problems = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid}")
        elif _language(path) != SOURCE_LANGUAGE and not all(_translations(entry)):
            problems.append(f"empty: {entry.msgid}")
    return problems


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_no_message_is_left_untranslated_or_fuzzy(path):
    assert missing_translations(path) == []


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_every_translation_keeps_the_placeholders_of_its_message(path):
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in filter(None, _translations(entry)):
            if entry.msgid_plural:
                # A plural form may leave the count out ("one mail" for 1).
                assert set(PLACEHOLDER.findall(text)) <= set(
                    PLACEHOLDER.findall(entry.msgid_plural)
                ), (_name(path), entry.msgid)
            else:
                assert sorted(PLACEHOLDER.findall(text)) == expected, (_name(path), entry.msgid)


def _catalogue(tmp_path: Path, language: str, *entries: polib.POEntry) -> Path:
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language}
    for entry in entries:
        catalogue.append(entry)
    path = tmp_path / language / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    catalogue.save(str(path))
    return path


def test_an_empty_fuzzy_or_half_plural_entry_is_reported(tmp_path):
    path = _catalogue(
        tmp_path,
        "pl",
        polib.POEntry(msgid="Shipped", msgstr=""),
        polib.POEntry(msgid="Delayed", msgstr="Opóźnione", flags=["fuzzy"]),
        polib.POEntry(
            msgid="%(n)s mail",
            msgid_plural="%(n)s mails",
            msgstr_plural={0: "%(n)s wiadomość", 1: "%(n)s wiadomości", 2: ""},
        ),
        polib.POEntry(msgid="Delivered", msgstr="Dostarczone"),
    )
    assert missing_translations(path) == [
        "empty: Shipped",
        "fuzzy: Delayed",
        "empty: %(n)s mail",
    ]


def test_english_may_leave_a_message_empty_but_not_fuzzy(tmp_path):
    path = _catalogue(
        tmp_path,
        "en",
        polib.POEntry(msgid="Shipped", msgstr=""),
        polib.POEntry(msgid="Delayed", msgstr="Late", flags=["fuzzy"]),
    )
    assert missing_translations(path) == ["fuzzy: Delayed"]
