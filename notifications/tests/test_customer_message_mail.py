"""A customer's message on a return's thread is mailed to the shop, in the shop's language."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from notifications.mails import STAFF_CUSTOMER_MESSAGE
from notifications.models import OutboxKind, OutboxMessage, WebhookSubscription
from notifications.services import template_preview
from notifications.tests.test_mails import return_data
from orders.tests.factories import create_order
from returns.services import return_reassign
from returns.tests.conftest import file_return
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from tenants.services import membership_set, user_get_or_create

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("test")
BACKOFFICE_URL = "http://127.0.0.1:8000/backoffice/requests/R-000042/"
EXCERPT = "The zip broke on the second day."

# language -> (subject, first sentence, words before the link, button label)
EXPECTED = {
    "en": (
        "New message from the customer about return R-000042",
        "The customer has written a message about return R-000042:",
        "Read and reply in the back office",
        "Reply in the back office",
    ),
    "nl": (
        "Nieuw bericht van de klant over retour R-000042",
        "De klant heeft een bericht gestuurd over retour R-000042:",
        "Lezen en antwoorden in de backoffice",
        "Antwoorden in de backoffice",
    ),
    "de": (
        "Neue Kundennachricht zur Rücksendung R-000042",
        "Zur Rücksendung R-000042 ist eine neue Kundennachricht eingegangen:",
        "Lesen und antworten im Backoffice",
        "Im Backoffice antworten",
    ),
    "pl": (
        "Nowa wiadomość od klienta w sprawie zwrotu R-000042",
        "Wpłynęła nowa wiadomość od klienta w sprawie zwrotu R-000042:",
        "Przeczytaj i odpowiedz w panelu sklepu",
        "Odpowiedz w panelu sklepu",
    ),
    "sv": (
        "Nytt meddelande från kunden om retur R-000042",
        "Kunden har skrivit ett meddelande om retur R-000042:",
        "Läs och svara i backoffice",
        "Svara i backoffice",
    ),
}


def message_data(language: str = "en", **overrides) -> dict:
    """The data ``conversation_post`` publishes for a customer's message."""
    data = return_data(language, status="requested", **{"from": "requested"})
    data.update({"excerpt": EXCERPT, "message_id": 7, "author": "consumer"})
    data.update(overrides)
    return data


@pytest.mark.parametrize("language", list(EXPECTED))
def test_the_shop_and_the_assignee_get_the_message_in_the_shop_language(
    language, publish, shop, mailbox
):
    shop.default_language = language
    shop.save()
    # The customer's own language (Polish) does not decide the shop's mail.
    publish("return.customer_message", data=message_data("pl", assignee_email="anna@acme.example"))

    subject, sentence, link_words, button = EXPECTED[language]
    assert sorted(m.to[0] for m in mailbox) == ["anna@acme.example", "returns@acme.example"]
    for mail in mailbox:
        assert mail.subject == subject
        assert mail.extra_headers["X-Returns-Event"] == STAFF_CUSTOMER_MESSAGE
        lines = mail.body.splitlines()
        assert lines[0] == sentence
        assert f'"{EXCERPT}"' in lines
        assert f"{link_words}: {BACKOFFICE_URL}" in lines
        assert "Jan Jansen <jan@example.nl>" in mail.body
        html = mail.alternatives[0][0]
        assert f'<html lang="{language}">' in html
        button_link = rf'<a href="{re.escape(BACKOFFICE_URL)}"[^>]*>{re.escape(button)}</a>'
        assert re.search(button_link, html)
        assert "#c0ffee" in html
    with tenant_context(shop):
        rows = OutboxMessage.objects.filter(kind=OutboxKind.EMAIL)
        assert {(row.event, row.language, row.rma, row.order_number) for row in rows} == {
            (STAFF_CUSTOMER_MESSAGE, language, "R-000042", "1001")
        }


def test_the_customer_is_not_mailed_about_their_own_message(publish, shop, mailbox):
    publish("return.customer_message", data=message_data())
    assert [m.to for m in mailbox] == [["returns@acme.example"]]


def test_an_assignee_who_is_also_the_notification_address_gets_one_mail(publish, shop, mailbox):
    publish("return.customer_message", data=message_data(assignee_email=" Returns@Acme.example "))
    assert [m.to for m in mailbox] == [["returns@acme.example"]]


def test_without_a_notification_address_only_the_assignee_is_mailed(publish, shop, mailbox):
    shop.notification_email = ""
    shop.save()
    publish("return.customer_message", data=message_data(assignee_email="anna@acme.example"))
    assert [m.to for m in mailbox] == [["anna@acme.example"]]


def test_no_shop_address_and_no_assignee_sends_no_mail_but_the_webhook_still_goes(
    publish, shop, mailbox
):
    shop.notification_email = ""
    shop.save()
    with tenant_context(shop):
        WebhookSubscription.objects.create(
            url="https://hooks.example/returns", events=["return.customer_message"], secret="s"
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("notifications.tasks.deliver_outbox_message.delay", lambda *args: None)
        publish("return.customer_message", data=message_data())
    assert mailbox == []
    with tenant_context(shop):
        [row] = OutboxMessage.objects.all()
    assert (row.kind, row.event) == (OutboxKind.WEBHOOK, "return.customer_message")
    assert row.payload["data"]["excerpt"] == EXCERPT


@pytest.mark.urls("notifications.urls")  # a URL conf without the back office
def test_without_the_back_office_route_the_mail_still_goes_with_its_front_page(
    publish, shop, mailbox, caplog
):
    publish("return.customer_message", data=message_data())
    [mail] = mailbox
    assert "Lesen und antworten im Backoffice: http://127.0.0.1:8000/backoffice/\n" in mail.body
    assert "No back-office route backoffice:request" in caplog.text


def assign(shop, request, email: str):
    user = user_get_or_create(email=email, password="pw")
    membership_set(user=user, role=Role.AGENT, actor=SYSTEM)
    return return_reassign(return_request=request, assignee=user, actor=SYSTEM)


def test_a_message_posted_by_the_customer_mails_the_shop_and_the_assignee(
    shop, mailbox, django_capture_on_commit_callbacks
):
    from conversations.services import conversation_post

    with tenant_context(shop):
        order = create_order("1001", language="nl")
        request = file_return(order)
        request = assign(shop, request, "anna@acme.example")
        mailbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            conversation_post(
                return_request=request,
                body="Der Reißverschluss ist kaputt.\nKann ich tauschen?",
                actor=Actor.consumer(request.email),
            )

    # The shop's default language is German; the customer's Dutch does not matter here.
    assert sorted(m.to[0] for m in mailbox) == ["anna@acme.example", "returns@acme.example"]
    for mail in mailbox:
        assert mail.subject == f"Neue Kundennachricht zur Rücksendung {request.rma}"
        assert '"Der Reißverschluss ist kaputt.\nKann ich tauschen?"' in mail.body
        link = f"http://127.0.0.1:8000/backoffice/requests/{request.rma}/"
        assert f"Lesen und antworten im Backoffice: {link}" in mail.body
        assert "Bestellung: 1001" in mail.body


def test_the_link_opens_the_request_with_the_message_for_the_assignee(
    shop, mailbox, django_capture_on_commit_callbacks
):
    from backoffice.tests.notifications.helpers import client_for
    from conversations.services import conversation_post

    with tenant_context(shop):
        request = file_return(create_order("1001", language="en"))
        request = assign(shop, request, "anna@acme.example")
        mailbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            conversation_post(
                return_request=request,
                body="Which courier should I use?",
                actor=Actor.consumer(request.email),
            )
    [mail] = [m for m in mailbox if m.to == ["anna@acme.example"]]
    link = mail.body.split("Lesen und antworten im Backoffice: ", 1)[1].split()[0]
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == "http://127.0.0.1:8000"

    page = client_for(shop, "anna@acme.example").get(parts.path)
    assert page.status_code == 200
    content = page.content.decode()
    assert request.rma in content
    assert "Which courier should I use?" in content


def test_a_staff_reply_or_an_internal_note_does_not_mail_the_shop(
    shop, mailbox, django_capture_on_commit_callbacks
):
    from conversations.services import conversation_post

    with tenant_context(shop):
        order = create_order("1001", language="en")
        request = file_return(order)
        request = assign(shop, request, "anna@acme.example")
        staff = user_get_or_create(email="anna@acme.example", password="pw")
        mailbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            conversation_post(
                return_request=request,
                body="Could you send a photo of the zip?",
                actor=Actor.staff(staff),
                author=staff,
            )
            conversation_post(
                return_request=request,
                body="Customer sounds upset",
                actor=Actor.staff(staff),
                author=staff,
                is_internal=True,
            )
        events = set(OutboxMessage.objects.values_list("event", flat=True))

    # Only the customer hears of the reply; nobody is mailed about the note.
    assert [(m.to, m.extra_headers["X-Returns-Event"]) for m in mailbox] == [
        (["jan@example.nl"], "return.message")
    ]
    assert STAFF_CUSTOMER_MESSAGE not in events


def test_the_template_editor_previews_the_mail_with_a_sample_back_office_link(shop):
    with tenant_context(shop):
        rendered = template_preview(
            event=STAFF_CUSTOMER_MESSAGE,
            language="nl",
            subject="Bericht over {{ rma }}",
            body="{{ excerpt }}\n{{ backoffice_url }}",
        )
    assert rendered.subject == "Bericht over R-000123"
    assert "http://127.0.0.1:8000/backoffice/requests/R-000123/" in rendered.text


def test_the_shop_can_edit_the_mail_in_the_back_office(shop):
    from backoffice.tests.notifications.helpers import client_for

    admin = client_for(shop, "admin@acme.example")
    url = f"/backoffice/notifications/templates/{STAFF_CUSTOMER_MESSAGE}/sv/"
    assert url in admin.get("/backoffice/notifications/templates/").content.decode()
    page = admin.get(url).content.decode()
    assert "Nytt meddelande från kunden om retur R-000123" in page
    assert "Läs och svara i backoffice: http://127.0.0.1:8000/backoffice/requests/R-000123/" in page
