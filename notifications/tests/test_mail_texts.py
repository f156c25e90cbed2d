"""The default mail texts: templates translated through the app's gettext catalogues."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from notifications import mails
from notifications.mails import LANGUAGES, MAIL_EVENTS, template_name
from notifications.rendering import check_source, render_mail
from notifications.samples import sample_context
from notifications.texts import default_texts, template_messages

TRANSLATED = [language for language in LANGUAGES if language != "en"]
LOCALE = Path(settings.BASE_DIR) / "notifications" / "locale"
TENANT = SimpleNamespace(
    name="Shop & Co",
    slug="shop",
    brand_colour="#123456",
    logo=None,
    policy_url="https://shop.example/policy",
    support_url="https://shop.example/support",
    currency="EUR",
    default_language="en",
    notification_email="team@shop.example",
)
# Values that switch every optional sentence off, to render the other branches too.
OPTIONAL = (
    "customer_name",
    "tracking_number",
    "carrier_name",
    "tracking_url",
    "expected_date",
    "reason",
    "return_url",
    "refund_amount",
    "label_url",
    "resolution_label",
    "refund_total",
    "order_number",
    "expires_date",
    "valid_from_date",
    "lines",
    "accepted_lines",
    "partly_accepted",
    "exchange_order",
    "voucher_code",
    "pickup_date",
    "tracking_number",
    "scanned_on",
    "return_cost",
    "legal_basis",
    "paid_on",
    "payout_label",
    "refund_by",
    "refund_reference",
    "auto_approved",
)


def _contexts(event: str, language: str) -> list[dict]:
    full = sample_context(event, TENANT, language)
    return [full, {**full, **dict.fromkeys(OPTIONAL, "")}]


def _lazy_messages() -> list[tuple[str, str]]:
    """(context, msgid) of every lazily translated text of ``notifications.mails``."""
    texts = [label for _key, label in mails.ACTIONS.values()]
    texts += [mails.POLICY_LABEL, mails.SUPPORT_LABEL, *mails.METHOD_INSTRUCTIONS.values()]
    texts += [label for labels in mails.LABELS.values() for label in labels.values()]
    messages = []
    for text in texts:
        assert isinstance(text, Promise)
        args = text._args  # (message,) for gettext_lazy, (context, message) for pgettext_lazy
        messages.append(("", args[0]) if len(args) == 1 else (args[0], args[1]))
    return messages


def _mail_messages() -> set[tuple[str, str]]:
    messages = set(_lazy_messages())
    messages |= set(template_messages("emails/layout.html"))
    for event in MAIL_EVENTS:
        for part in ("subject", "body"):
            messages |= set(template_messages(template_name(event, part)))
    return messages


def test_every_mail_has_a_subject_and_a_body_template():
    templates = Path(settings.BASE_DIR) / "templates"
    for event in MAIL_EVENTS:
        for part in ("subject", "body"):
            assert (templates / template_name(event, part)).is_file(), (event, part)


def test_the_mails_use_a_message_for_each_sentence():
    messages = _mail_messages()
    assert len(messages) > 80
    assert ("", "Hello %(customer_name)s,") in messages
    assert ("", "Track and trace: %(tracking_number)s") in messages
    assert ("mail", "store credit") in messages


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_of_the_mails_is_translated_in_the_apps_catalogue(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    entries = {(entry.msgctxt or "", entry.msgid): entry for entry in catalogue}
    with translation.override(language):
        for context, msgid in sorted(_mail_messages()):
            entry = entries.get((context, msgid))
            assert entry is not None, f"{language}: {msgid!r} is not in the catalogue"
            assert entry.msgstr and "fuzzy" not in entry.flags, (language, msgid)
            # No other catalogue (an app listed earlier) shadows the mail's wording.
            if context:
                assert translation.pgettext(context, msgid) == entry.msgstr, (language, msgid)
            else:
                assert translation.gettext(msgid) == entry.msgstr, (language, msgid)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("event", MAIL_EVENTS)
def test_the_editors_text_renders_exactly_as_the_default(event, language):
    """The back office shows a default as a plain template in one language; saved
    unchanged as the shop's own text, it sends the very same mail."""
    subject, body = default_texts(event, language)
    for part, source in (("subject", subject), ("body", body)):
        check_source(source, part=part)
        assert "translate" not in source and "include" not in source
    for context in _contexts(event, language):
        default = render_mail(event=event, language=language, context=context)
        own = render_mail(
            event=event, language=language, context=context, subject=subject, body=body
        )
        assert own == default
        assert default.subject and default.text.strip()


def test_the_texts_are_in_the_mails_language():
    context = sample_context("voucher.issued", TENANT, "de")
    rendered = render_mail(event="voucher.issued", language="de", context=context)
    assert rendered.subject.startswith("Ihr Gutschein über ")
    assert rendered.text.startswith("Hallo Jan Jansen,\n\nHier ist Ihr Gutschein im Wert von ")
    assert "Gutscheincode: GIFT-7K2M-9QXP" in rendered.text
    assert rendered.text.endswith("Viele Grüße\nShop & Co\n")
    assert "Rückgaberichtlinie" in rendered.html

    subject, body = default_texts("return.requested.staff", "sv")
    assert subject == "Ny returbegäran {{ rma }} för beställning {{ order_number }}"
    assert "Ärendetyp: {{ case_type_label }}\nMetod: {{ method_label }}" in body
    assert "Varor och orsaker:{% for line in lines %}" in body


def test_a_greeting_without_a_name_follows_each_language():
    greetings = {}
    for language in LANGUAGES:
        context = {**sample_context("order.delivered", TENANT, language), "customer_name": ""}
        text = render_mail(event="order.delivered", language=language, context=context).text
        greetings[language] = text.splitlines()[0]
    assert greetings == {
        "en": "Hello there,",
        "nl": "Beste klant,",
        "de": "Hallo,",
        "pl": "Dzień dobry,",
        "sv": "Hej,",
    }
