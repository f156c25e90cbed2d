"""Default mail texts: ``DEFAULTS[event][language] = {"subject", "body"}``.

Bodies are plain-text Django templates rendered with the restricted engine
(``notifications.rendering``); the HTML part is the shared layout
(``templates/emails/layout.html``) around the same text, with the tenant's branding and
a button for the event's main link (``ACTIONS``). Tenants override subject and body per
event and language (``NotificationTemplate``); a customer mail starts with a greeting
and ends with the shop's name, written out in every default so that an override
replaces the whole text.
"""

from __future__ import annotations

LANGUAGES = ("en", "nl", "de", "pl", "sv")
FALLBACK_LANGUAGE = "en"

# Mails to the shop (its notification address and the request's assignee), in the shop's
# language: a new request, and a message the customer wrote on a request's thread.
STAFF_REQUESTED = "return.requested.staff"
STAFF_CUSTOMER_MESSAGE = "return.customer_message.staff"

GREETING = {
    "en": 'Hello {{ customer_name|default:"there" }},',
    "nl": 'Beste {{ customer_name|default:"klant" }},',
    "de": "Hallo{% if customer_name %} {{ customer_name }}{% endif %},",
    "pl": "Dzień dobry{% if customer_name %} {{ customer_name }}{% endif %},",
    "sv": "Hej{% if customer_name %} {{ customer_name }}{% endif %},",
}
SIGN_OFF = {
    "en": "Kind regards,\n{{ tenant.name }}",
    "nl": "Met vriendelijke groet,\n{{ tenant.name }}",
    "de": "Viele Grüße\n{{ tenant.name }}",
    "pl": "Pozdrawiamy,\n{{ tenant.name }}",
    "sv": "Vänliga hälsningar,\n{{ tenant.name }}",
}

_CUSTOMER_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "order.shipped": {
        "en": (
            "Your order {{ order_number }} has been shipped",
            "Good news: your order {{ order_number }} is on its way."
            "{% if tracking_number %}\nTrack and trace: {{ tracking_number }}"
            "{% if carrier_name %} ({{ carrier_name }}){% endif %}{% endif %}"
            "{% if tracking_url %}\nFollow your parcel: {{ tracking_url }}{% endif %}",
        ),
        "nl": (
            "Je bestelling {{ order_number }} is verzonden",
            "Goed nieuws: je bestelling {{ order_number }} is onderweg."
            "{% if tracking_number %}\nTrack & trace: {{ tracking_number }}"
            "{% if carrier_name %} ({{ carrier_name }}){% endif %}{% endif %}"
            "{% if tracking_url %}\nVolg je pakket: {{ tracking_url }}{% endif %}",
        ),
        "de": (
            "Ihre Bestellung {{ order_number }} wurde versandt",
            "Gute Nachricht: Ihre Bestellung {{ order_number }} ist unterwegs."
            "{% if tracking_number %}\nSendungsnummer: {{ tracking_number }}"
            "{% if carrier_name %} ({{ carrier_name }}){% endif %}{% endif %}"
            "{% if tracking_url %}\nSendung verfolgen: {{ tracking_url }}{% endif %}",
        ),
        "pl": (
            "Twoje zamówienie {{ order_number }} zostało wysłane",
            "Dobra wiadomość: Twoje zamówienie {{ order_number }} jest w drodze."
            "{% if tracking_number %}\nNumer przesyłki: {{ tracking_number }}"
            "{% if carrier_name %} ({{ carrier_name }}){% endif %}{% endif %}"
            "{% if tracking_url %}\nŚledź przesyłkę: {{ tracking_url }}{% endif %}",
        ),
        "sv": (
            "Din beställning {{ order_number }} har skickats",
            "Goda nyheter: din beställning {{ order_number }} är på väg."
            "{% if tracking_number %}\nSpårningsnummer: {{ tracking_number }}"
            "{% if carrier_name %} ({{ carrier_name }}){% endif %}{% endif %}"
            "{% if tracking_url %}\nSpåra ditt paket: {{ tracking_url }}{% endif %}",
        ),
    },
    "order.delayed": {
        "en": (
            "Your order {{ order_number }} is delayed",
            "Unfortunately your order {{ order_number }} is delayed."
            "{% if expected_date %} We now expect to deliver it on {{ expected_date }}."
            "{% endif %}{% if reason %}\nReason: {{ reason }}{% endif %}"
            "\nWe apologise for the inconvenience.",
        ),
        "nl": (
            "Je bestelling {{ order_number }} heeft vertraging",
            "Helaas heeft je bestelling {{ order_number }} vertraging."
            "{% if expected_date %} We verwachten haar nu te bezorgen op {{ expected_date }}."
            "{% endif %}{% if reason %}\nReden: {{ reason }}{% endif %}"
            "\nOnze excuses voor het ongemak.",
        ),
        "de": (
            "Ihre Bestellung {{ order_number }} verzögert sich",
            "Leider verzögert sich Ihre Bestellung {{ order_number }}."
            "{% if expected_date %} Wir erwarten die Zustellung jetzt am {{ expected_date }}."
            "{% endif %}{% if reason %}\nGrund: {{ reason }}{% endif %}"
            "\nBitte entschuldigen Sie die Unannehmlichkeiten.",
        ),
        "pl": (
            "Twoje zamówienie {{ order_number }} jest opóźnione",
            "Niestety Twoje zamówienie {{ order_number }} jest opóźnione."
            "{% if expected_date %} Przewidywany termin dostawy to teraz {{ expected_date }}."
            "{% endif %}{% if reason %}\nPowód: {{ reason }}{% endif %}"
            "\nPrzepraszamy za utrudnienia.",
        ),
        "sv": (
            "Din beställning {{ order_number }} är försenad",
            "Tyvärr är din beställning {{ order_number }} försenad."
            "{% if expected_date %} Vi räknar nu med leverans den {{ expected_date }}."
            "{% endif %}{% if reason %}\nOrsak: {{ reason }}{% endif %}"
            "\nVi ber om ursäkt för besväret.",
        ),
    },
    "order.delivered": {
        "en": (
            "Your order {{ order_number }} has been delivered",
            "Your order {{ order_number }} has been delivered. We hope you enjoy it!"
            "{% if return_url %}\nNot quite right? You can start a return here: "
            "{{ return_url }}{% endif %}",
        ),
        "nl": (
            "Je bestelling {{ order_number }} is bezorgd",
            "Je bestelling {{ order_number }} is bezorgd. Veel plezier ermee!"
            "{% if return_url %}\nNiet helemaal goed? Hier kun je een retour aanmelden: "
            "{{ return_url }}{% endif %}",
        ),
        "de": (
            "Ihre Bestellung {{ order_number }} wurde zugestellt",
            "Ihre Bestellung {{ order_number }} wurde zugestellt. Viel Freude damit!"
            "{% if return_url %}\nPasst etwas nicht? Hier können Sie eine Rücksendung "
            "anmelden: {{ return_url }}{% endif %}",
        ),
        "pl": (
            "Twoje zamówienie {{ order_number }} zostało dostarczone",
            "Twoje zamówienie {{ order_number }} zostało dostarczone. Miłego użytkowania!"
            "{% if return_url %}\nCoś nie pasuje? Tutaj możesz zgłosić zwrot: "
            "{{ return_url }}{% endif %}",
        ),
        "sv": (
            "Din beställning {{ order_number }} har levererats",
            "Din beställning {{ order_number }} har levererats. Vi hoppas att du blir nöjd!"
            "{% if return_url %}\nBlev något fel? Här kan du anmäla en retur: "
            "{{ return_url }}{% endif %}",
        ),
    },
    "order.cancelled": {
        "en": (
            "Your order {{ order_number }} has been cancelled",
            "Your order {{ order_number }} has been cancelled."
            "{% if reason %}\nReason: {{ reason }}{% endif %}"
            "{% if refund_amount %}\nWe will refund {{ refund_amount }} to your original "
            "payment method.{% endif %}",
        ),
        "nl": (
            "Je bestelling {{ order_number }} is geannuleerd",
            "Je bestelling {{ order_number }} is geannuleerd."
            "{% if reason %}\nReden: {{ reason }}{% endif %}"
            "{% if refund_amount %}\nWe betalen {{ refund_amount }} terug via je "
            "oorspronkelijke betaalmethode.{% endif %}",
        ),
        "de": (
            "Ihre Bestellung {{ order_number }} wurde storniert",
            "Ihre Bestellung {{ order_number }} wurde storniert."
            "{% if reason %}\nGrund: {{ reason }}{% endif %}"
            "{% if refund_amount %}\nWir erstatten {{ refund_amount }} über Ihre "
            "ursprüngliche Zahlungsart.{% endif %}",
        ),
        "pl": (
            "Twoje zamówienie {{ order_number }} zostało anulowane",
            "Twoje zamówienie {{ order_number }} zostało anulowane."
            "{% if reason %}\nPowód: {{ reason }}{% endif %}"
            "{% if refund_amount %}\nZwrócimy {{ refund_amount }} przy użyciu pierwotnej "
            "metody płatności.{% endif %}",
        ),
        "sv": (
            "Din beställning {{ order_number }} har avbrutits",
            "Din beställning {{ order_number }} har avbrutits."
            "{% if reason %}\nOrsak: {{ reason }}{% endif %}"
            "{% if refund_amount %}\nVi återbetalar {{ refund_amount }} till ditt "
            "ursprungliga betalningssätt.{% endif %}",
        ),
    },
    "return.requested": {
        "en": (
            "We have received your return request {{ rma }}",
            "Thank you, we have received your return request {{ rma }} for order "
            "{{ order_number }}. We will check it and let you know as soon as possible."
            "\nFollow your return: {{ status_url }}",
        ),
        "nl": (
            "We hebben je retouraanvraag {{ rma }} ontvangen",
            "Bedankt, we hebben je retouraanvraag {{ rma }} voor bestelling "
            "{{ order_number }} ontvangen. We bekijken hem en laten je zo snel mogelijk "
            "iets weten.\nVolg je retour: {{ status_url }}",
        ),
        "de": (
            "Wir haben Ihre Rücksendeanfrage {{ rma }} erhalten",
            "Vielen Dank, wir haben Ihre Rücksendeanfrage {{ rma }} zur Bestellung "
            "{{ order_number }} erhalten. Wir prüfen sie und melden uns so schnell wie "
            "möglich.\nIhre Rücksendung verfolgen: {{ status_url }}",
        ),
        "pl": (
            "Otrzymaliśmy Twoje zgłoszenie zwrotu {{ rma }}",
            "Dziękujemy, otrzymaliśmy Twoje zgłoszenie zwrotu {{ rma }} do zamówienia "
            "{{ order_number }}. Sprawdzimy je i odezwiemy się jak najszybciej."
            "\nŚledź swój zwrot: {{ status_url }}",
        ),
        "sv": (
            "Vi har tagit emot din returbegäran {{ rma }}",
            "Tack, vi har tagit emot din returbegäran {{ rma }} för beställning "
            "{{ order_number }}. Vi går igenom den och hör av oss så snart som möjligt."
            "\nFölj din retur: {{ status_url }}",
        ),
    },
    "return.approved": {
        "en": (
            "Your return {{ rma }} has been approved",
            "Good news: your return request {{ rma }} has been approved."
            "\n\n{{ method_instructions }}"
            "{% if label_url %}\nDownload your return label on your return's page: "
            "{{ label_url }}{% else %}\nYour return's page: {{ status_url }}{% endif %}"
            "\nThe QR code in this e-mail opens the same page.",
        ),
        "nl": (
            "Je retour {{ rma }} is goedgekeurd",
            "Goed nieuws: je retouraanvraag {{ rma }} is goedgekeurd."
            "\n\n{{ method_instructions }}"
            "{% if label_url %}\nDownload je retourlabel op de pagina van je retour: "
            "{{ label_url }}{% else %}\nDe pagina van je retour: {{ status_url }}{% endif %}"
            "\nDe QR-code in deze e-mail opent dezelfde pagina.",
        ),
        "de": (
            "Ihre Rücksendung {{ rma }} wurde genehmigt",
            "Gute Nachricht: Ihre Rücksendeanfrage {{ rma }} wurde genehmigt."
            "\n\n{{ method_instructions }}"
            "{% if label_url %}\nIhr Rücksendeetikett laden Sie auf der Seite Ihrer "
            "Rücksendung herunter: {{ label_url }}{% else %}\nDie Seite Ihrer Rücksendung: "
            "{{ status_url }}{% endif %}"
            "\nDer QR-Code in dieser E-Mail öffnet dieselbe Seite.",
        ),
        "pl": (
            "Twój zwrot {{ rma }} został zaakceptowany",
            "Dobra wiadomość: Twoje zgłoszenie zwrotu {{ rma }} zostało zaakceptowane."
            "\n\n{{ method_instructions }}"
            "{% if label_url %}\nPobierz etykietę zwrotną na stronie swojego zwrotu: "
            "{{ label_url }}{% else %}\nStrona Twojego zwrotu: {{ status_url }}{% endif %}"
            "\nKod QR w tej wiadomości otwiera tę samą stronę.",
        ),
        "sv": (
            "Din retur {{ rma }} har godkänts",
            "Goda nyheter: din returbegäran {{ rma }} har godkänts."
            "\n\n{{ method_instructions }}"
            "{% if label_url %}\nLadda ner din returetikett på sidan för din retur: "
            "{{ label_url }}{% else %}\nSidan för din retur: {{ status_url }}{% endif %}"
            "\nQR-koden i det här mejlet öppnar samma sida.",
        ),
    },
    "return.cancelled": {
        "en": (
            "Your return request {{ rma }} has been cancelled",
            "Your return request {{ rma }} for order {{ order_number }} has been cancelled."
            "{% if reason %}\nReason: {{ reason }}{% endif %}"
            "\nQuestions? Simply reply to this e-mail.",
        ),
        "nl": (
            "Je retouraanvraag {{ rma }} is geannuleerd",
            "Je retouraanvraag {{ rma }} voor bestelling {{ order_number }} is geannuleerd."
            "{% if reason %}\nReden: {{ reason }}{% endif %}"
            "\nVragen? Beantwoord deze e-mail gewoon.",
        ),
        "de": (
            "Ihre Rücksendeanfrage {{ rma }} wurde storniert",
            "Ihre Rücksendeanfrage {{ rma }} zur Bestellung {{ order_number }} wurde "
            "storniert.{% if reason %}\nGrund: {{ reason }}{% endif %}"
            "\nFragen? Antworten Sie einfach auf diese E-Mail.",
        ),
        "pl": (
            "Twoje zgłoszenie zwrotu {{ rma }} zostało anulowane",
            "Twoje zgłoszenie zwrotu {{ rma }} do zamówienia {{ order_number }} zostało "
            "anulowane.{% if reason %}\nPowód: {{ reason }}{% endif %}"
            "\nMasz pytania? Po prostu odpowiedz na tę wiadomość.",
        ),
        "sv": (
            "Din returbegäran {{ rma }} har avbrutits",
            "Din returbegäran {{ rma }} för beställning {{ order_number }} har avbrutits."
            "{% if reason %}\nOrsak: {{ reason }}{% endif %}"
            "\nFrågor? Svara bara på det här mejlet.",
        ),
    },
    "return.received": {
        "en": (
            "We have received your return {{ rma }}",
            "Your parcel for return {{ rma }} has arrived in our warehouse. We will inspect "
            "the items and let you know once it has been processed."
            "\nFollow your return: {{ status_url }}",
        ),
        "nl": (
            "We hebben je retour {{ rma }} ontvangen",
            "Je pakket voor retour {{ rma }} is aangekomen in ons magazijn. We controleren "
            "de artikelen en laten je weten wanneer alles is afgehandeld."
            "\nVolg je retour: {{ status_url }}",
        ),
        "de": (
            "Wir haben Ihre Rücksendung {{ rma }} erhalten",
            "Ihr Paket zur Rücksendung {{ rma }} ist in unserem Lager angekommen. Wir prüfen "
            "die Artikel und melden uns, sobald alles bearbeitet ist."
            "\nIhre Rücksendung verfolgen: {{ status_url }}",
        ),
        "pl": (
            "Otrzymaliśmy Twój zwrot {{ rma }}",
            "Twoja paczka ze zwrotem {{ rma }} dotarła do naszego magazynu. Sprawdzimy "
            "produkty i damy znać, gdy wszystko zostanie rozpatrzone."
            "\nŚledź swój zwrot: {{ status_url }}",
        ),
        "sv": (
            "Vi har tagit emot din retur {{ rma }}",
            "Ditt paket för retur {{ rma }} har kommit fram till vårt lager. Vi kontrollerar "
            "varorna och meddelar dig när allt är klart."
            "\nFölj din retur: {{ status_url }}",
        ),
    },
    "return.completed": {
        "en": (
            "Your return {{ rma }} has been completed",
            "Your return {{ rma }} has been processed"
            "{% if resolution_label %} ({{ resolution_label }}){% endif %}."
            "{% if refund_total %} Amount: {{ refund_total }}.{% endif %}"
            "\nThank you for shopping with {{ tenant.name }}.",
        ),
        "nl": (
            "Je retour {{ rma }} is afgehandeld",
            "Je retour {{ rma }} is afgehandeld"
            "{% if resolution_label %} ({{ resolution_label }}){% endif %}."
            "{% if refund_total %} Bedrag: {{ refund_total }}.{% endif %}"
            "\nBedankt voor je aankoop bij {{ tenant.name }}.",
        ),
        "de": (
            "Ihre Rücksendung {{ rma }} ist abgeschlossen",
            "Ihre Rücksendung {{ rma }} wurde bearbeitet"
            "{% if resolution_label %} ({{ resolution_label }}){% endif %}."
            "{% if refund_total %} Betrag: {{ refund_total }}.{% endif %}"
            "\nVielen Dank für Ihren Einkauf bei {{ tenant.name }}.",
        ),
        "pl": (
            "Twój zwrot {{ rma }} został zakończony",
            "Twój zwrot {{ rma }} został rozpatrzony"
            "{% if resolution_label %} ({{ resolution_label }}){% endif %}."
            "{% if refund_total %} Kwota: {{ refund_total }}.{% endif %}"
            "\nDziękujemy za zakupy w {{ tenant.name }}.",
        ),
        "sv": (
            "Din retur {{ rma }} är klar",
            "Din retur {{ rma }} har behandlats"
            "{% if resolution_label %} ({{ resolution_label }}){% endif %}."
            "{% if refund_total %} Belopp: {{ refund_total }}.{% endif %}"
            "\nTack för att du handlar hos {{ tenant.name }}.",
        ),
    },
    "return.message": {
        "en": (
            "New message about your return {{ rma }}",
            "{{ tenant.name }} has sent you a message about return {{ rma }}:"
            '\n\n"{{ excerpt }}"\n\nRead and reply: {{ status_url }}',
        ),
        "nl": (
            "Nieuw bericht over je retour {{ rma }}",
            "{{ tenant.name }} heeft je een bericht gestuurd over retour {{ rma }}:"
            '\n\n"{{ excerpt }}"\n\nLezen en antwoorden: {{ status_url }}',
        ),
        "de": (
            "Neue Nachricht zu Ihrer Rücksendung {{ rma }}",
            "{{ tenant.name }} hat Ihnen eine Nachricht zur Rücksendung {{ rma }} geschickt:"
            '\n\n"{{ excerpt }}"\n\nLesen und antworten: {{ status_url }}',
        ),
        "pl": (
            "Nowa wiadomość dotycząca zwrotu {{ rma }}",
            "Masz nową wiadomość od {{ tenant.name }} dotyczącą zwrotu {{ rma }}:"
            '\n\n"{{ excerpt }}"\n\nPrzeczytaj i odpowiedz: {{ status_url }}',
        ),
        "sv": (
            "Nytt meddelande om din retur {{ rma }}",
            "{{ tenant.name }} har skickat ett meddelande om retur {{ rma }}:"
            '\n\n"{{ excerpt }}"\n\nLäs och svara: {{ status_url }}',
        ),
    },
    "refund.succeeded": {
        "en": (
            "Your refund of {{ amount }} has been paid",
            "We have refunded {{ amount }}"
            "{% if order_number %} for order {{ order_number }}{% endif %}. Depending on "
            "your bank it may take a few days before it shows on your account.",
        ),
        "nl": (
            "Je terugbetaling van {{ amount }} is uitgevoerd",
            "We hebben {{ amount }} terugbetaald"
            "{% if order_number %} voor bestelling {{ order_number }}{% endif %}. "
            "Afhankelijk van je bank kan het enkele dagen duren voordat het bedrag op je "
            "rekening staat.",
        ),
        "de": (
            "Ihre Erstattung über {{ amount }} wurde ausgezahlt",
            "Wir haben {{ amount }}"
            "{% if order_number %} für die Bestellung {{ order_number }}{% endif %} "
            "erstattet. Je nach Bank kann es einige Tage dauern, bis der Betrag auf Ihrem "
            "Konto erscheint.",
        ),
        "pl": (
            "Zwrot {{ amount }} został wypłacony",
            "Zwróciliśmy {{ amount }}"
            "{% if order_number %} za zamówienie {{ order_number }}{% endif %}. "
            "W zależności od banku środki mogą pojawić się na koncie po kilku dniach.",
        ),
        "sv": (
            "Din återbetalning på {{ amount }} har betalats ut",
            "Vi har återbetalat {{ amount }}"
            "{% if order_number %} för beställning {{ order_number }}{% endif %}. "
            "Beroende på din bank kan det ta några dagar innan beloppet syns på ditt konto.",
        ),
    },
    "voucher.issued": {
        "en": (
            "Your voucher of {{ amount }}",
            "Here is your voucher worth {{ amount }}.\n\nVoucher code: {{ code }}"
            "{% if expires_date %}\nValid until: {{ expires_date }}{% endif %}"
            "\n\nUse the code at checkout in our web shop or show it in one of our stores.",
        ),
        "nl": (
            "Je tegoedbon van {{ amount }}",
            "Hier is je tegoedbon ter waarde van {{ amount }}.\n\nCode: {{ code }}"
            "{% if expires_date %}\nGeldig tot: {{ expires_date }}{% endif %}"
            "\n\nGebruik de code bij het afrekenen in onze webshop of laat hem zien in een "
            "van onze winkels.",
        ),
        "de": (
            "Ihr Gutschein über {{ amount }}",
            "Hier ist Ihr Gutschein im Wert von {{ amount }}.\n\nGutscheincode: {{ code }}"
            "{% if expires_date %}\nGültig bis: {{ expires_date }}{% endif %}"
            "\n\nLösen Sie den Code an der Kasse in unserem Onlineshop ein oder zeigen Sie "
            "ihn in einer unserer Filialen.",
        ),
        "pl": (
            "Twój bon o wartości {{ amount }}",
            "Oto Twój bon o wartości {{ amount }}.\n\nKod bonu: {{ code }}"
            "{% if expires_date %}\nWażny do: {{ expires_date }}{% endif %}"
            "\n\nUżyj kodu przy składaniu zamówienia w naszym sklepie internetowym lub "
            "pokaż go w jednym z naszych sklepów.",
        ),
        "sv": (
            "Ditt presentkort på {{ amount }}",
            "Här är ditt presentkort värt {{ amount }}.\n\nKod: {{ code }}"
            "{% if expires_date %}\nGiltigt till: {{ expires_date }}{% endif %}"
            "\n\nAnvänd koden i kassan i vår webbutik eller visa den i en av våra butiker.",
        ),
    },
    "credit_note.booked": {
        "en": (
            "Credit note {{ number }} for {{ amount }}",
            "We have issued credit note {{ number }} for {{ amount }}"
            "{% if order_number %} for order {{ order_number }}{% endif %}."
            "\nThe credit note is attached to this e-mail as a PDF.",
        ),
        "nl": (
            "Creditnota {{ number }} van {{ amount }}",
            "We hebben creditnota {{ number }} van {{ amount }} opgemaakt"
            "{% if order_number %} voor bestelling {{ order_number }}{% endif %}."
            "\nDe creditnota zit als pdf-bestand bij deze e-mail.",
        ),
        "de": (
            "Gutschrift {{ number }} über {{ amount }}",
            "Wir haben die Gutschrift {{ number }} über {{ amount }}"
            "{% if order_number %} zur Bestellung {{ order_number }}{% endif %} ausgestellt."
            "\nDie Gutschrift finden Sie als PDF im Anhang dieser E-Mail.",
        ),
        "pl": (
            "Faktura korygująca {{ number }} na kwotę {{ amount }}",
            "Wystawiliśmy fakturę korygującą {{ number }} na kwotę {{ amount }}"
            "{% if order_number %} do zamówienia {{ order_number }}{% endif %}."
            "\nFaktura korygująca jest załączona do tej wiadomości jako plik PDF.",
        ),
        "sv": (
            "Kreditnota {{ number }} på {{ amount }}",
            "Vi har utfärdat kreditnota {{ number }} på {{ amount }}"
            "{% if order_number %} för beställning {{ order_number }}{% endif %}."
            "\nKreditnotan är bifogad som pdf i det här mejlet.",
        ),
    },
    "feedback.requested": {
        "en": (
            "How was your return with {{ tenant.name }}?",
            "Your return {{ rma }} has been completed. Would you tell us how it went? "
            "It takes less than a minute.\nGive feedback: {{ feedback_url }}",
        ),
        "nl": (
            "Hoe was je retour bij {{ tenant.name }}?",
            "Je retour {{ rma }} is afgerond. Wil je ons laten weten hoe het ging? "
            "Het kost minder dan een minuut.\nGeef je mening: {{ feedback_url }}",
        ),
        "de": (
            "Wie war Ihre Rücksendung bei {{ tenant.name }}?",
            "Ihre Rücksendung {{ rma }} ist abgeschlossen. Verraten Sie uns, wie es gelaufen "
            "ist? Es dauert weniger als eine Minute.\nFeedback geben: {{ feedback_url }}",
        ),
        "pl": (
            "Jak oceniasz zwrot w {{ tenant.name }}?",
            "Twój zwrot {{ rma }} został zakończony. Powiesz nam, jak poszło? "
            "To zajmie mniej niż minutę.\nPodziel się opinią: {{ feedback_url }}",
        ),
        "sv": (
            "Hur var din retur hos {{ tenant.name }}?",
            "Din retur {{ rma }} är klar. Berätta gärna hur det gick, det tar mindre än "
            "en minut.\nLämna omdöme: {{ feedback_url }}",
        ),
    },
}

_STAFF_FIELDS = {
    "en": ("Order", "Customer", "Case type", "Reason", "Method", "Resolution", "Estimate"),
    "nl": ("Bestelling", "Klant", "Soort", "Reden", "Methode", "Afhandeling", "Schatting"),
    "de": ("Bestellung", "Kunde", "Fallart", "Grund", "Methode", "Lösung", "Schätzung"),
    "pl": ("Zamówienie", "Klient", "Rodzaj", "Powód", "Metoda", "Rozwiązanie", "Szacunek"),
    "sv": ("Beställning", "Kund", "Ärendetyp", "Orsak", "Metod", "Lösning", "Uppskattning"),
}
_STAFF_TEXTS = {
    "en": (
        "New return request {{ rma }} for order {{ order_number }}",
        "A new return request has arrived.",
    ),
    "nl": (
        "Nieuwe retouraanvraag {{ rma }} voor bestelling {{ order_number }}",
        "Er is een nieuwe retouraanvraag binnengekomen.",
    ),
    "de": (
        "Neue Rücksendeanfrage {{ rma }} zur Bestellung {{ order_number }}",
        "Eine neue Rücksendeanfrage ist eingegangen.",
    ),
    "pl": (
        "Nowe zgłoszenie zwrotu {{ rma }} do zamówienia {{ order_number }}",
        "Wpłynęło nowe zgłoszenie zwrotu.",
    ),
    "sv": (
        "Ny returbegäran {{ rma }} för beställning {{ order_number }}",
        "En ny returbegäran har kommit in.",
    ),
}


def _staff_body(language: str) -> str:
    order, customer, case_type, reason, method, resolution, estimate = _STAFF_FIELDS[language]
    return (
        f"{_STAFF_TEXTS[language][1]}\n\n"
        "RMA: {{ rma }}\n"
        f"{order}: {{{{ order_number }}}}\n"
        f"{customer}: {{{{ customer_name }}}} <{{{{ email }}}}>\n"
        f"{case_type}: {{{{ case_type_label }}}}\n"
        f"{reason}: {{{{ reason }}}}\n"
        f"{method}: {{{{ method_label }}}}\n"
        f"{resolution}: {{{{ resolution_label }}}}"
        f"{{% if refund_total %}}\n{estimate}: {{{{ refund_total }}}}{{% endif %}}"
        "\n\n{{ status_url }}"
    )


# (subject, first sentence, words before the back-office link)
_STAFF_MESSAGE_TEXTS = {
    "en": (
        "New message from the customer about return {{ rma }}",
        "The customer has written a message about return {{ rma }}:",
        "Read and reply in the back office",
    ),
    "nl": (
        "Nieuw bericht van de klant over retour {{ rma }}",
        "De klant heeft een bericht gestuurd over retour {{ rma }}:",
        "Lezen en antwoorden in de backoffice",
    ),
    "de": (
        "Neue Kundennachricht zur Rücksendung {{ rma }}",
        "Zur Rücksendung {{ rma }} ist eine neue Kundennachricht eingegangen:",
        "Lesen und antworten im Backoffice",
    ),
    "pl": (
        "Nowa wiadomość od klienta w sprawie zwrotu {{ rma }}",
        "Wpłynęła nowa wiadomość od klienta w sprawie zwrotu {{ rma }}:",
        "Przeczytaj i odpowiedz w panelu sklepu",
    ),
    "sv": (
        "Nytt meddelande från kunden om retur {{ rma }}",
        "Kunden har skrivit ett meddelande om retur {{ rma }}:",
        "Läs och svara i backoffice",
    ),
}


def _staff_message_body(language: str) -> str:
    order, customer = _STAFF_FIELDS[language][:2]
    _subject, intro, read_and_reply = _STAFF_MESSAGE_TEXTS[language]
    return (
        f"{intro}\n\n"
        '"{{ excerpt }}"\n\n'
        f"{order}: {{{{ order_number }}}}\n"
        f"{customer}: {{{{ customer_name }}}} <{{{{ email }}}}>\n\n"
        f"{read_and_reply}: {{{{ backoffice_url }}}}"
    )


def _build() -> dict[str, dict[str, dict[str, str]]]:
    defaults: dict[str, dict[str, dict[str, str]]] = {}
    for event, languages in _CUSTOMER_TEXTS.items():
        defaults[event] = {
            language: {
                "subject": subject,
                "body": f"{GREETING[language]}\n\n{core}\n\n{SIGN_OFF[language]}",
            }
            for language, (subject, core) in languages.items()
        }
    defaults[STAFF_REQUESTED] = {
        language: {"subject": _STAFF_TEXTS[language][0], "body": _staff_body(language)}
        for language in LANGUAGES
    }
    defaults[STAFF_CUSTOMER_MESSAGE] = {
        language: {
            "subject": _STAFF_MESSAGE_TEXTS[language][0],
            "body": _staff_message_body(language),
        }
        for language in LANGUAGES
    }
    return defaults


DEFAULTS = _build()
MAIL_EVENTS = tuple(DEFAULTS)

# The main link of each mail, shown as a button in the HTML part: (context key, labels).
ACTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "order.shipped": (
        "tracking_url",
        {
            "en": "Track your parcel",
            "nl": "Volg je pakket",
            "de": "Sendung verfolgen",
            "pl": "Śledź przesyłkę",
            "sv": "Spåra paketet",
        },
    ),
    "order.delivered": (
        "return_url",
        {
            "en": "Start a return",
            "nl": "Retour aanmelden",
            "de": "Rücksendung anmelden",
            "pl": "Zgłoś zwrot",
            "sv": "Anmäl retur",
        },
    ),
    "return.approved": (
        "label_url",
        {
            "en": "Download the label",
            "nl": "Download het label",
            "de": "Etikett herunterladen",
            "pl": "Pobierz etykietę",
            "sv": "Ladda ner etiketten",
        },
    ),
    "feedback.requested": (
        "feedback_url",
        {
            "en": "Give feedback",
            "nl": "Geef je mening",
            "de": "Feedback geben",
            "pl": "Oceń zwrot",
            "sv": "Lämna omdöme",
        },
    ),
}
_STATUS_LABELS = {
    "en": "View your return",
    "nl": "Bekijk je retour",
    "de": "Rücksendung ansehen",
    "pl": "Zobacz zwrot",
    "sv": "Visa din retur",
}
for _event in (
    "return.requested",
    "return.cancelled",
    "return.received",
    "return.completed",
    "return.message",
    STAFF_REQUESTED,
):
    ACTIONS[_event] = ("status_url", _STATUS_LABELS)
ACTIONS[STAFF_CUSTOMER_MESSAGE] = (
    "backoffice_url",
    {
        "en": "Reply in the back office",
        "nl": "Antwoorden in de backoffice",
        "de": "Im Backoffice antworten",
        "pl": "Odpowiedz w panelu sklepu",
        "sv": "Svara i backoffice",
    },
)

METHOD_INSTRUCTIONS = {
    "drop_off": {
        "en": "Pack the items securely, stick the label on the parcel and hand it in at a "
        "service point of the carrier.",
        "nl": "Verpak de artikelen goed, plak het label op het pakket en lever het in bij een "
        "servicepunt van de vervoerder.",
        "de": "Verpacken Sie die Artikel sicher, kleben Sie das Etikett auf das Paket und "
        "geben Sie es an einer Annahmestelle des Versanddienstleisters ab.",
        "pl": "Zapakuj starannie produkty, naklej etykietę na paczkę i nadaj ją w punkcie "
        "przewoźnika.",
        "sv": "Packa varorna ordentligt, sätt etiketten på paketet och lämna in det hos ett "
        "ombud för transportören.",
    },
    "qr_drop_off": {
        "en": "Pack the items and show the QR code at a service point; the label is printed "
        "for you there.",
        "nl": "Verpak de artikelen en laat de QR-code zien bij een servicepunt; daar wordt het "
        "label voor je geprint.",
        "de": "Verpacken Sie die Artikel und zeigen Sie den QR-Code an einer Annahmestelle; "
        "dort wird das Etikett für Sie gedruckt.",
        "pl": "Zapakuj produkty i pokaż kod QR w punkcie nadania; tam wydrukują etykietę.",
        "sv": "Packa varorna och visa QR-koden hos ett ombud; där skrivs etiketten ut åt dig.",
    },
    "pickup": {
        "en": "Pack the items and stick the label on the parcel; the carrier will pick it up "
        "at your address.",
        "nl": "Verpak de artikelen en plak het label op het pakket; de vervoerder haalt het "
        "bij je op.",
        "de": "Verpacken Sie die Artikel und kleben Sie das Etikett auf das Paket; der "
        "Versanddienstleister holt es bei Ihnen ab.",
        "pl": "Zapakuj produkty i naklej etykietę; kurier odbierze paczkę spod Twojego adresu.",
        "sv": "Packa varorna och sätt etiketten på paketet; transportören hämtar det hos dig.",
    },
    "in_store": {
        "en": "Bring the items and this e-mail to one of our stores.",
        "nl": "Breng de artikelen en deze e-mail naar een van onze winkels.",
        "de": "Bringen Sie die Artikel und diese E-Mail in eine unserer Filialen.",
        "pl": "Przynieś produkty i tę wiadomość do jednego z naszych sklepów.",
        "sv": "Ta med varorna och det här mejlet till en av våra butiker.",
    },
    "own_shipping": {
        "en": "Send the parcel to our return address with a carrier of your choice and keep "
        "the receipt.",
        "nl": "Stuur het pakket met een vervoerder naar keuze naar ons retouradres en bewaar "
        "het verzendbewijs.",
        "de": "Senden Sie das Paket mit einem Versanddienstleister Ihrer Wahl an unsere "
        "Rücksendeadresse und bewahren Sie den Beleg auf.",
        "pl": "Wyślij paczkę na nasz adres zwrotny wybranym przewoźnikiem i zachowaj "
        "potwierdzenie nadania.",
        "sv": "Skicka paketet till vår returadress med valfri transportör och spara kvittot.",
    },
}

LABELS = {
    "method": {
        "drop_off": {
            "en": "Drop-off",
            "nl": "Inleveren",
            "de": "Abgabe",
            "pl": "Nadanie w punkcie",
            "sv": "Inlämning",
        },
        "qr_drop_off": {
            "en": "QR drop-off",
            "nl": "Inleveren met QR",
            "de": "Abgabe mit QR-Code",
            "pl": "Nadanie z kodem QR",
            "sv": "Inlämning med QR",
        },
        "pickup": {
            "en": "Pickup",
            "nl": "Ophalen",
            "de": "Abholung",
            "pl": "Odbiór kurierski",
            "sv": "Upphämtning",
        },
        "in_store": {
            "en": "In store",
            "nl": "In de winkel",
            "de": "In der Filiale",
            "pl": "W sklepie",
            "sv": "I butik",
        },
        "own_shipping": {
            "en": "Own shipping",
            "nl": "Zelf verzenden",
            "de": "Eigener Versand",
            "pl": "Wysyłka własna",
            "sv": "Egen frakt",
        },
    },
    "resolution": {
        "refund": {
            "en": "refund",
            "nl": "terugbetaling",
            "de": "Erstattung",
            "pl": "zwrot pieniędzy",
            "sv": "återbetalning",
        },
        "store_credit": {
            "en": "store credit",
            "nl": "tegoed",
            "de": "Guthaben",
            "pl": "bon",
            "sv": "tillgodohavande",
        },
        "exchange": {
            "en": "exchange",
            "nl": "omruilen",
            "de": "Umtausch",
            "pl": "wymiana",
            "sv": "byte",
        },
        "replacement": {
            "en": "replacement",
            "nl": "vervanging",
            "de": "Ersatz",
            "pl": "wymiana na nowy",
            "sv": "ersättning",
        },
        "repair": {
            "en": "repair",
            "nl": "reparatie",
            "de": "Reparatur",
            "pl": "naprawa",
            "sv": "reparation",
        },
    },
    "case_type": {
        "return": {
            "en": "Return",
            "nl": "Retour",
            "de": "Rücksendung",
            "pl": "Zwrot",
            "sv": "Retur",
        },
        "complaint": {
            "en": "Complaint",
            "nl": "Klacht",
            "de": "Reklamation",
            "pl": "Reklamacja",
            "sv": "Reklamation",
        },
        "missing_item": {
            "en": "Missing item",
            "nl": "Ontbrekend artikel",
            "de": "Fehlender Artikel",
            "pl": "Brakujący produkt",
            "sv": "Saknad vara",
        },
    },
}
