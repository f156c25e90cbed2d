"""Every event mails the right text in each of the five languages, with the shop's branding."""

from __future__ import annotations

import email
from decimal import Decimal

import pytest

from notifications.models import OutboxKind, OutboxMessage, OutboxStatus
from notifications.rendering import mail_money
from orders.services import order_event_record
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from testing.notifications import BRAND_COLOUR, return_data
from testing.orders import create_order

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "nl", "de", "pl", "sv"]


# event -> language -> (subject, a sentence of the body)
EXPECTED = {
    # A drop-off: the label is on the status page at once, so the mail says so (and not
    # that the shop is still checking the request).
    "return.requested": {
        "en": ("We have received your return request R-000042", "Download your return label on"),
        "nl": ("We hebben je retouraanvraag R-000042 ontvangen", "Download je retourlabel op"),
        "de": ("Wir haben Ihre Rücksendeanfrage R-000042 erhalten", "Ihr Rücksendeetikett laden"),
        "pl": ("Otrzymaliśmy Twoje zgłoszenie zwrotu R-000042", "Pobierz etykietę zwrotną na"),
        "sv": ("Vi har tagit emot din returbegäran R-000042", "Ladda ner din returetikett på"),
    },
    "return.approved": {
        "en": ("Your return R-000042 has been approved", "hand it in at a service point"),
        "nl": ("Je retour R-000042 is goedgekeurd", "lever het in bij een servicepunt"),
        "de": ("Ihre Rücksendung R-000042 wurde genehmigt", "an einer Annahmestelle"),
        "pl": ("Twój zwrot R-000042 został zaakceptowany", "nadaj ją w punkcie przewoźnika"),
        "sv": ("Din retur R-000042 har godkänts", "lämna in det hos ett ombud"),
    },
    "return.cancelled": {
        "en": ("Your return request R-000042 has been cancelled", "Reason: Beschädigt"),
        "nl": ("Je retouraanvraag R-000042 is geannuleerd", "Reden: Beschädigt"),
        "de": ("Ihre Rücksendeanfrage R-000042 wurde storniert", "Grund: Beschädigt"),
        "pl": ("Twoje zgłoszenie zwrotu R-000042 zostało anulowane", "Powód: Beschädigt"),
        "sv": ("Din returbegäran R-000042 har avbrutits", "Orsak: Beschädigt"),
    },
    "return.received": {
        "en": ("We have received your return R-000042", "has arrived in our warehouse"),
        "nl": ("We hebben je retour R-000042 ontvangen", "is aangekomen in ons magazijn"),
        "de": ("Wir haben Ihre Rücksendung R-000042 erhalten", "in unserem Lager angekommen"),
        "pl": ("Otrzymaliśmy Twój zwrot R-000042", "dotarła do naszego magazynu"),
        "sv": ("Vi har tagit emot din retur R-000042", "har kommit fram till vårt lager"),
    },
    "return.completed": {
        "en": ("Your return R-000042 has been completed", "Amount: €39.90"),
        "nl": ("Je retour R-000042 is afgehandeld", "Bedrag: € 39,90"),
        "de": ("Ihre Rücksendung R-000042 ist abgeschlossen", "Betrag: 39,90 €"),
        "pl": ("Twój zwrot R-000042 został zakończony", "Kwota: 39,90 €"),
        "sv": ("Din retur R-000042 är klar", "Belopp: 39,90 €"),
    },
}

OTHER_EVENTS = {
    "return.message": (
        {"excerpt": "Please send a photo of the label."},
        {
            "en": ("New message about your return R-000042", "has sent you a message"),
            "nl": ("Nieuw bericht over je retour R-000042", "heeft je een bericht gestuurd"),
            "de": ("Neue Nachricht zu Ihrer Rücksendung R-000042", "hat Ihnen eine Nachricht"),
            "pl": ("Nowa wiadomość dotycząca zwrotu R-000042", "Masz nową wiadomość od"),
            "sv": ("Nytt meddelande om din retur R-000042", "har skickat ett meddelande"),
        },
    ),
    "refund.succeeded": (
        {"amount": "25.50", "provider": "stripe"},
        {
            "en": ("Your refund of €25.50 has been paid", "We have refunded €25.50 for order"),
            "nl": ("Je terugbetaling van € 25,50 is uitgevoerd", "We hebben € 25,50 terugbetaald"),
            "de": ("Ihre Erstattung über 25,50 € wurde ausgezahlt", "Wir haben 25,50 €"),
            "pl": ("Zwrot 25,50 € został wypłacony", "Zwróciliśmy 25,50 €"),
            "sv": ("Din återbetalning på 25,50 € har betalats ut", "Vi har återbetalat 25,50 €"),
        },
    ),
    "voucher.issued": (
        # ``expires_at`` is the first day the voucher is refused: the mail names the day
        # before as the last valid day.
        {
            "code": "GIFT-AB12-CD34",
            "amount": "25.00",
            "valid_from": "2026-11-22",
            "expires_at": "2027-11-22",
        },
        {
            "en": ("Your voucher of €25.00", "Valid from: 22/11/2026\nValid until: 21/11/2027"),
            "nl": ("Je tegoedbon van € 25,00", "Geldig vanaf: 22-11-2026\nGeldig tot: 21-11-2027"),
            "de": ("Ihr Gutschein über 25,00 €", "Gültig ab: 22.11.2026\nGültig bis: 21.11.2027"),
            "pl": ("Twój bon o wartości 25,00 €", "Ważny od: 22.11.2026\nWażny do: 21.11.2027"),
            "sv": (
                "Ditt presentkort på 25,00 €",
                "Giltigt från: 2026-11-22\nGiltigt till: 2027-11-21",
            ),
        },
    ),
    "credit_note.booked": (
        {"number": "CN-2026-00042", "amount": "15.00", "document_path": "/cn/42.pdf"},
        {
            "en": ("Credit note CN-2026-00042 for €15.00", "We have issued credit note"),
            "nl": ("Creditnota CN-2026-00042 van € 15,00", "We hebben creditnota"),
            "de": ("Gutschrift CN-2026-00042 über 15,00 €", "Wir haben die Gutschrift"),
            "pl": ("Faktura korygująca CN-2026-00042 na kwotę 15,00 €", "Wystawiliśmy fakturę"),
            "sv": ("Kreditnota CN-2026-00042 på 15,00 €", "Vi har utfärdat kreditnota"),
        },
    ),
    "feedback.requested": (
        {"feedback_path": "/r/acme/s/tok123/feedback/"},
        {
            "en": ("How was your return with Acme Outdoor?", "Would you tell us how it went?"),
            "nl": ("Hoe was je retour bij Acme Outdoor?", "Wil je ons laten weten hoe het ging?"),
            "de": ("Wie war Ihre Rücksendung bei Acme Outdoor?", "Verraten Sie uns, wie es"),
            "pl": ("Jak oceniasz zwrot w Acme Outdoor?", "Powiesz nam, jak poszło?"),
            "sv": ("Hur var din retur hos Acme Outdoor?", "Berätta gärna hur det gick"),
        },
    ),
}

ORDER_EXPECTED = {
    "shipped": {
        "en": ("Your order 1001 has been shipped", "is on its way"),
        "nl": ("Je bestelling 1001 is verzonden", "is onderweg"),
        "de": ("Ihre Bestellung 1001 wurde versandt", "ist unterwegs"),
        "pl": ("Twoje zamówienie 1001 zostało wysłane", "jest w drodze"),
        "sv": ("Din beställning 1001 har skickats", "är på väg"),
    },
    "delayed": {
        "en": ("Your order 1001 is delayed", "We now expect to deliver it on"),
        "nl": ("Je bestelling 1001 heeft vertraging", "We verwachten haar nu te bezorgen op"),
        "de": ("Ihre Bestellung 1001 verzögert sich", "Wir erwarten die Zustellung jetzt am"),
        "pl": ("Twoje zamówienie 1001 jest opóźnione", "Przewidywany termin dostawy"),
        "sv": ("Din beställning 1001 är försenad", "Vi räknar nu med leverans den"),
    },
    "cancelled": {
        "en": ("Your order 1001 has been cancelled", "We have refunded €114.80. Reference: PSP-1"),
        "nl": ("Je bestelling 1001 is geannuleerd", "We hebben € 114,80 terugbetaald."),
        "de": ("Ihre Bestellung 1001 wurde storniert", "Wir haben 114,80 € erstattet."),
        "pl": ("Twoje zamówienie 1001 zostało anulowane", "Zwróciliśmy 114,80 €."),
        "sv": ("Din beställning 1001 har avbrutits", "Vi har återbetalat 114,80 €."),
    },
    "delivered": {
        "en": ("Your order 1001 has been delivered", "We hope you enjoy it"),
        "nl": ("Je bestelling 1001 is bezorgd", "Veel plezier ermee"),
        "de": ("Ihre Bestellung 1001 wurde zugestellt", "Viel Freude damit"),
        "pl": ("Twoje zamówienie 1001 zostało dostarczone", "Miłego użytkowania"),
        "sv": ("Din beställning 1001 har levererats", "Vi hoppas att du blir nöjd"),
    },
}


def assert_branded(message, shop):
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert shop.name in html
    assert BRAND_COLOUR in html
    assert shop.policy_url in html
    assert shop.name in message.body  # the sign-off


def only_mail_to(mailbox, address):
    found = [m for m in mailbox if m.to == [address]]
    assert len(found) == 1, [m.to for m in mailbox]
    return found[0]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("event", list(EXPECTED))
def test_return_events_mail_the_customer_in_their_language(event, language, publish, shop, mailbox):
    publish(event, data=return_data(language))

    message = only_mail_to(mailbox, "jan@example.nl")
    subject, sentence = EXPECTED[event][language]
    assert message.subject == subject
    assert sentence in message.body
    assert sentence.split(" ")[0] in message.alternatives[0][0]
    assert_branded(message, shop)
    with tenant_context(shop):
        row = OutboxMessage.objects.get(kind=OutboxKind.EMAIL, recipient="jan@example.nl")
    assert (row.status, row.attempts, row.language, row.rma) == ("sent", 1, language, "R-000042")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("event", list(OTHER_EVENTS))
def test_message_refund_voucher_credit_note_and_feedback_mails(
    event, language, publish, shop, mailbox
):
    extra, expected = OTHER_EVENTS[event]
    data = {
        **return_data(language),
        "currency": "EUR",
        "order_number": "1001",
        **extra,
    }
    publish(event, subject_type=event.split(".")[0], data=data)

    message = only_mail_to(mailbox, "jan@example.nl")
    subject, sentence = expected[language]
    assert message.subject == subject
    assert sentence in message.body
    assert_branded(message, shop)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("event_type", list(ORDER_EXPECTED))
def test_order_events_mail_the_customer_in_the_order_language(
    event_type, language, shop, mailbox, django_capture_on_commit_callbacks
):
    with tenant_context(shop):
        order = create_order(
            "1001", language=language, shipped_at=None, delivered_at=None, carrier="dhl"
        )
        with django_capture_on_commit_callbacks(execute=True):
            order_event_record(
                order=order,
                event_type=event_type,
                actor=Actor.system("test"),
                tracking_number="JD0123456789",
                carrier="dhl",
                expected_at=order.placed_at.replace(year=2027),
                reason="Storm",
                # A cancellation states a refund only when one is recorded with it.
                refund={"amount": "114.80", "reference": "PSP-1"}
                if event_type == "cancelled"
                else None,
            )

    message = only_mail_to(mailbox, "jan@example.nl")
    subject, sentence = ORDER_EXPECTED[event_type][language]
    assert message.subject == subject
    assert sentence in message.body
    assert_branded(message, shop)
    if event_type == "shipped":
        assert "JD0123456789" in message.body
        assert (
            "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD0123456789"
            in (message.alternatives[0][0])
        )


def test_track_and_trace_link_per_carrier_and_none_for_an_unknown_carrier(
    shop, mailbox, django_capture_on_commit_callbacks
):
    with tenant_context(shop):
        postnl = create_order("2001", shipped_at=None, delivered_at=None, language="en")
        other = create_order("2002", shipped_at=None, delivered_at=None, language="en")
        with django_capture_on_commit_callbacks(execute=True):
            order_event_record(
                order=postnl, event_type="shipped", actor=Actor.system("t"), carrier="postnl"
            )
            order_event_record(
                order=other, event_type="shipped", actor=Actor.system("t"), carrier="pigeon"
            )
    by_subject = {m.subject: m for m in mailbox}
    assert (
        "https://jouw.postnl.nl/track-and-trace/3SABC123-NL-1012AB"
        in by_subject["Your order 2001 has been shipped"].body
    )
    unknown = by_subject["Your order 2002 has been shipped"]
    assert "Track and trace: 3SABC123 (pigeon)" in unknown.body
    assert "http" not in unknown.body.split("Track and trace")[1].split("Kind regards")[0]


def test_return_requested_also_mails_the_shop_and_the_assignee_in_the_shop_language(
    publish, shop, mailbox
):
    publish("return.requested", data=return_data("pl", assignee_email="anna@acme.example"))

    assert sorted(m.to[0] for m in mailbox) == [
        "anna@acme.example",
        "jan@example.nl",
        "returns@acme.example",
    ]
    staff = only_mail_to(mailbox, "returns@acme.example")
    # The shop's default language is German.
    assert staff.subject == "Neue Rücksendeanfrage R-000042 zur Bestellung 1001"
    assert "Methode: Abgabe" in staff.body
    assert "Kunde: Jan Jansen <jan@example.nl>" in staff.body
    assert only_mail_to(mailbox, "anna@acme.example").subject == staff.subject
    assert only_mail_to(mailbox, "jan@example.nl").subject.startswith("Otrzymaliśmy")


def test_approved_mail_links_the_label_and_carries_a_qr_code_of_the_status_page(
    publish, shop, mailbox
):
    import zxingcpp
    from PIL import Image

    publish("return.approved", data=return_data("en", method="qr_drop_off"))

    message = only_mail_to(mailbox, "jan@example.nl")
    status_url = "http://127.0.0.1:8000/r/acme/s/tok123/"
    assert f"Download your return label on your return's page: {status_url}\n" in message.body
    assert "show the QR code at a service point" in message.body
    html = message.alternatives[0][0]
    assert 'src="cid:qr-code"' in html
    assert f'<a href="{status_url}"' in html and "Download the label" in html
    parsed = email.message_from_bytes(message.message().as_bytes())
    images = [part for part in parsed.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1
    assert images[0]["Content-ID"] == "<qr-code>"
    import io

    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(images[0].get_payload(decode=True))))
    assert [code.text for code in decoded] == [status_url]


def test_language_falls_back_to_the_shop_default_then_english(publish, shop, mailbox):
    publish("return.received", data=return_data(""))
    publish("return.received", data=return_data("fr", rma="R-000043"))
    shop.default_language = "en"
    shop.save()
    publish("return.received", data=return_data("xx", rma="R-000044"))

    subjects = sorted(m.subject for m in mailbox)
    assert subjects == [
        "We have received your return R-000044",
        "Wir haben Ihre Rücksendung R-000042 erhalten",
        "Wir haben Ihre Rücksendung R-000043 erhalten",
    ]


def test_event_without_email_sends_no_mail_but_webhooks_still_go(publish, shop, mailbox):
    from notifications.models import WebhookSubscription

    with tenant_context(shop):
        WebhookSubscription.objects.create(
            url="http://192.0.2.1/hook", events=["*"], secret="whsec_test"
        )
    publish("refund.succeeded", subject_type="refund", data={"amount": "5.00", "currency": "EUR"})

    assert mailbox == []
    with tenant_context(shop):
        rows = list(OutboxMessage.objects.values_list("kind", "event", "payload"))
    assert [(kind, event) for kind, event, _ in rows] == [("webhook", "refund.succeeded")]
    payload = rows[0][2]
    assert payload["version"] == 1 and payload["tenant"] == "acme"
    assert payload["data"] == {"amount": "5.00", "currency": "EUR"}


def test_html_escapes_customer_supplied_text(publish, shop, mailbox):
    publish(
        "return.cancelled",
        data=return_data("en", customer_name="<script>x</script>", reason="<b>no</b>"),
    )
    message = only_mail_to(mailbox, "jan@example.nl")
    html = message.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>no</b>" not in html
    assert "Hello <script>x</script>," in message.body  # the text part is plain text


def test_nothing_is_written_or_sent_when_the_publishing_transaction_rolls_back(
    shop, mailbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from returns_platform import events

    with tenant_context(shop), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish(
                "return.received", subject_type="return", subject_id=1, data=return_data("en")
            )  # noqa: E501
            raise RuntimeError("the service failed after publishing")
        assert OutboxMessage.objects.count() == 0
    assert mailbox == []


def test_money_is_formatted_per_language():
    assert mail_money(Decimal("1234.5"), "EUR", "en") == "€1,234.50"
    assert mail_money("1234.5", "EUR", "nl") == "€ 1.234,50"
    assert mail_money("1234.5", "EUR", "de") == "1.234,50 €"
    assert mail_money("1234.5", "SEK", "sv") == "1\u00a0234,50 kr"
    assert mail_money("1234.5", "PLN", "pl") == "1\u00a0234,50 zł"
    assert mail_money("", "EUR", "en") == ""


def test_sent_rows_keep_what_was_sent(publish, shop, mailbox):
    publish("return.received", data=return_data("sv"))
    with tenant_context(shop):
        row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.SENT
    assert row.subject == mailbox[0].subject
    assert row.body_text == mailbox[0].body
    assert row.provider_message_id == mailbox[0].extra_headers["Message-ID"]
