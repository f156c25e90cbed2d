"""Mails state what is recorded: each is triggered by the real service, sent once, with
the facts of the rows (reasons, dates, amounts, pickup), in the customer's language."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from carriers.statuses import PickupStatus
from credits.models import Refund
from credits.selectors import return_resolution_find
from credits.services.decisions import return_decide
from credits.services.refunds import refund_confirm_manual
from credits.services.vouchers import voucher_issue, voucher_redeem
from orders.services import order_event_record
from returns.models import ReturnPolicy
from returns.selectors import return_policy_get
from returns.services import return_set_free
from returns.workflow import return_move, return_transition
from returns_platform.dates import format_date
from returns_platform.errors import DomainError
from returns_platform.tenancy import tenant_context
from testing.credits import inspected_return, recent_order
from testing.factories import CarrierAccountFactory, ReturnShipmentFactory
from testing.orders import create_order
from testing.returns import file_return
from testing.staff import TEST_ACTOR

pytestmark = pytest.mark.django_db

STATUS_PREFIX = "http://127.0.0.1:8000/r/"


def mails_about(mailbox, event: str) -> list:
    return [m for m in mailbox if m.extra_headers["X-Returns-Event"] == event]


def the_mail(mailbox, event: str):
    found = mails_about(mailbox, event)
    assert len(found) == 1, [m.extra_headers["X-Returns-Event"] for m in mailbox]
    return found[0]


def html_of(message) -> str:
    return message.alternatives[0][0]


# --- What staff are told about a new request ------------------------------------------


def test_staff_mail_for_a_new_request_names_the_reasons_and_opens_the_back_office(
    shop, mailbox, django_capture_on_commit_callbacks
):
    with tenant_context(shop):
        order = create_order("1001", language="en")
        with django_capture_on_commit_callbacks(execute=True):
            request = file_return(order, quantities=[1, 1])

    staff = the_mail(mailbox, "return.requested.staff")
    assert staff.to == ["returns@acme.example"]
    # The shop writes German: the reasons are the shop's labels in German, one per item.
    assert "Artikel und Gründe:\n- 1 × T-shirt M: Zu klein\n- 1 × Jeans 32: Zu klein" in staff.body
    assert "Grund: \n" not in staff.body and not staff.body.rstrip().endswith(":")
    backoffice = f"http://127.0.0.1:8000/backoffice/requests/{request.rma}/"
    assert f"Anfrage im Backoffice öffnen: {backoffice}" in staff.body
    assert f'<a href="{backoffice}"' in html_of(staff)
    # Never the customer's own status page (where the return could be withdrawn).
    assert STATUS_PREFIX not in staff.body and STATUS_PREFIX not in html_of(staff)


def test_an_automatically_approved_request_gets_the_approval_mail_only(
    shop, mailbox, django_capture_on_commit_callbacks
):
    with tenant_context(shop):
        ReturnPolicy.objects.filter(pk=return_policy_get().pk).update(auto_approve=True)
        order = recent_order("1001", language="en")  # inside the return window
        with django_capture_on_commit_callbacks(execute=True):
            request = file_return(order)
        assert request.status == "approved"

    customer = [m for m in mailbox if m.to == ["jan@example.nl"]]
    assert [m.extra_headers["X-Returns-Event"] for m in customer] == ["return.approved"]
    assert "We will check it" not in customer[0].body
    staff = the_mail(mailbox, "return.requested.staff")
    assert "Die Regeln haben sie automatisch genehmigt." in staff.body


@pytest.mark.parametrize(
    ("method", "sentence", "absent"),
    [
        ("drop_off", "Download your return label on your return's page:", "We will check it"),
        ("in_store", "We will check it and let you know", "Download your return label"),
    ],
)
def test_the_request_mail_follows_whether_a_label_is_offered(
    publish, mailbox, method, sentence, absent
):
    from testing.notifications import return_data

    publish("return.requested", data=return_data("en", method=method, status="requested"))

    customer = [m for m in mailbox if m.to == ["jan@example.nl"]]
    assert len(customer) == 1
    assert sentence in customer[0].body
    assert absent not in customer[0].body


# --- Vouchers: the start date and a last day that is really valid ----------------------


def test_voucher_mail_names_the_start_and_the_last_day_the_voucher_is_accepted(
    shop, mailbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with tenant_context(shop), django_capture_on_commit_callbacks(execute=True):
        valid = voucher_issue(
            amount=Decimal("25.00"),
            currency="EUR",
            actor=TEST_ACTOR,
            valid_from=today - timedelta(days=3),
            expires_at=today + timedelta(days=1),
            email="jan@example.nl",
            language="nl",
        )
    message = the_mail(mailbox, "voucher.issued")
    assert f"Geldig vanaf: {format_date(today - timedelta(days=3), 'nl')}" in message.body
    # The mail's last day is today: the voucher is accepted today ...
    assert f"Geldig tot: {format_date(today, 'nl')}" in message.body
    assert f"Geldig tot: {format_date(today, 'nl')}" in html_of(message)
    with tenant_context(shop):
        voucher_redeem(voucher=valid, amount=Decimal("5.00"), actor=TEST_ACTOR)

        # ... and a voucher whose mail says "until yesterday" is refused today.
        mailbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            ended = voucher_issue(
                amount=Decimal("10.00"),
                currency="EUR",
                actor=TEST_ACTOR,
                valid_from=today - timedelta(days=3),
                expires_at=today,
                email="jan@example.nl",
                language="nl",
            )
        assert f"Geldig tot: {format_date(today - timedelta(days=1), 'nl')}" in mailbox[0].body
        with pytest.raises(DomainError) as refused:
            voucher_redeem(voucher=ended, amount=Decimal("5.00"), actor=TEST_ACTOR)
        assert refused.value.code == "voucher_expired"


# --- A cancelled order promises only a recorded refund ---------------------------------


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("en", "No refund is due for this order."), ("nl", "hoeft niets te worden terugbetaald")],
)
def test_order_cancelled_without_a_recorded_refund_says_none_is_due(
    shop, mailbox, django_capture_on_commit_callbacks, language, sentence
):
    with tenant_context(shop):
        order = create_order("1001", language=language, shipped_at=None, delivered_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            order_event_record(
                order=order, event_type="cancelled", actor=TEST_ACTOR, reason="Out of stock"
            )
    message = the_mail(mailbox, "order.cancelled")
    assert sentence in message.body
    assert "refund" not in message.body.replace(sentence, "").lower()


# --- Label created (with a booked pickup), in transit ----------------------------------


def _approved_with_shipment(shop, capture, language, **shipment):
    with tenant_context(shop):
        order = create_order("1001", language=language)
        with capture(execute=True):
            request = file_return(order, method="pickup")
            return_transition(return_request=request, to="approved", actor=TEST_ACTOR)
        account = CarrierAccountFactory(tenant=shop, carrier="dhl")
        ReturnShipmentFactory(
            tenant=shop,
            return_request=request,
            account=account,
            status="booked",
            tracking_number="JJD000390007",
            **shipment,
        )
    return request


LABEL_TEXT = {
    "en": (
        "Your return label for {rma} is ready",
        "The carrier picks up your parcel on {date}, 09:00–13:00.",
        "Download your return label on your return's page: ",
    ),
    "nl": (
        "Je retourlabel voor {rma} staat klaar",
        "De vervoerder haalt je pakket op {date} op, tussen 09:00–13:00.",
        "Download je retourlabel op de pagina van je retour: ",
    ),
}


@pytest.mark.parametrize("language", list(LABEL_TEXT))
def test_label_created_mail_links_the_label_and_names_the_booked_pickup(
    shop, mailbox, django_capture_on_commit_callbacks, language
):
    pickup_day = timezone.localdate() + timedelta(days=2)
    request = _approved_with_shipment(
        shop,
        django_capture_on_commit_callbacks,
        language,
        pickup_date=pickup_day,
        pickup_slot="09:00-13:00",
        pickup_status=PickupStatus.BOOKED,
    )
    mailbox.clear()
    with tenant_context(shop), django_capture_on_commit_callbacks(execute=True):
        return_transition(return_request=request, to="label_created", actor=TEST_ACTOR)

    message = the_mail(mailbox, "return.label_created")
    subject, pickup, link = LABEL_TEXT[language]
    assert message.subject == subject.format(rma=request.rma)
    assert pickup.format(date=format_date(pickup_day, language)) in message.body
    assert link in message.body
    assert "JJD000390007 (DHL)" in message.body
    html = html_of(message)
    assert 'src="cid:qr-code"' in html
    status_url = message.body.split(link)[1].split()[0]
    assert status_url.startswith(STATUS_PREFIX + "acme/s/")
    assert f'<a href="{status_url}"' in html
    assert len(mailbox) == 1


def test_in_transit_mail_names_the_carriers_scan_and_a_label_made_by_the_scan_is_not_mailed(
    shop, mailbox, django_capture_on_commit_callbacks
):
    scanned = timezone.now() - timedelta(hours=3)
    request = _approved_with_shipment(
        shop, django_capture_on_commit_callbacks, "nl", in_transit_at=scanned
    )
    mailbox.clear()
    with tenant_context(shop), django_capture_on_commit_callbacks(execute=True):
        # What carriers.tracking does on a first scan of an approved return.
        return_transition(return_request=request, to="label_created", actor=TEST_ACTOR)
        return_transition(return_request=request, to="in_transit", actor=TEST_ACTOR)

    assert [m.extra_headers["X-Returns-Event"] for m in mailbox] == ["return.in_transit"]
    message = mailbox[0]
    assert message.subject == f"Je retour {request.rma} is onderweg naar ons"
    day = format_date(timezone.localtime(scanned), "nl")
    assert f"op {day} gescand: het is onderweg naar ons." in message.body
    assert "Track & trace: JJD000390007 (DHL)" in message.body
    assert f"op {day} gescand" in html_of(message)


# --- Inspected, completed with accepted amounts ----------------------------------------


def _inspected(shop, capture, language):
    """Two T-shirts accepted for 30.00 instead of 39.90 (damaged), the jeans in full."""
    with tenant_context(shop), capture(execute=True):
        return inspected_return(
            number="3001",
            resolution="refund",
            accepted={"TSHIRT-M": (2, "30.00")},
            language=language,
        )


INSPECTED = {
    "en": (
        "We have checked the items of your return {rma}",
        "- 2 × T-shirt M: condition damaged, accepted €30.00 (Inspected)",
        "- 1 × Jeans 32: condition as new",
    ),
    "nl": (
        "We hebben de artikelen van je retour {rma} gecontroleerd",
        "- 2 × T-shirt M: staat: beschadigd, geaccepteerd € 30,00 (Inspected)",
        "- 1 × Jeans 32: staat: als nieuw",
    ),
}


@pytest.mark.parametrize("language", list(INSPECTED))
def test_inspected_mail_gives_the_outcome_per_line(
    shop, mailbox, django_capture_on_commit_callbacks, language
):
    request = _inspected(shop, django_capture_on_commit_callbacks, language)

    message = the_mail(mailbox, "return.inspected")
    subject, damaged, as_new = INSPECTED[language]
    assert message.subject == subject.format(rma=request.rma)
    assert damaged in message.body and as_new in message.body
    assert damaged in html_of(message)


COMPLETED = {
    "en": ("Amount: €99.95.", "- 2 × T-shirt M: €30.00 of €39.90 (Inspected)"),
    "nl": ("Bedrag: € 99,95.", "- 2 × T-shirt M: € 30,00 van € 39,90 (Inspected)"),
}


@pytest.mark.parametrize("language", list(COMPLETED))
def test_completed_mail_states_the_accepted_amounts_not_the_estimate(
    shop, mailbox, django_capture_on_commit_callbacks, language
):
    request = _inspected(shop, django_capture_on_commit_callbacks, language)
    mailbox.clear()
    with tenant_context(shop), django_capture_on_commit_callbacks(execute=True):
        return_move(return_request=request, to="completed", actor=TEST_ACTOR)
        resolution = return_resolution_find(rma=request.rma)

    message = the_mail(mailbox, "return.completed")
    amount, line = COMPLETED[language]
    # 30.00 for the shirts + 69.95 for the jeans; the request's estimate was 109.85.
    assert resolution.amount == Decimal("99.95")
    assert amount in message.body and line in message.body
    assert "109" not in message.body
    assert line in html_of(message)


# --- Free return granted, complaint decisions, exchange order, refund paid -------------


@pytest.mark.parametrize(
    ("language", "subject", "sentence"),
    [
        ("en", "Your return {rma} is free of charge", "has made your return {rma} free of charge"),
        ("nl", "Je retour {rma} is gratis", "heeft je retour {rma} gratis gemaakt"),
    ],
)
def test_a_granted_free_return_is_mailed_and_taking_it_back_is_not(
    shop, mailbox, django_capture_on_commit_callbacks, language, subject, sentence
):
    with tenant_context(shop):
        order = create_order("1001", language=language)
        with django_capture_on_commit_callbacks(execute=True):
            request = file_return(order)
        mailbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return_set_free(return_request=request, is_free=True, actor=TEST_ACTOR)
        message = the_mail(mailbox, "return.free_return_set")
        assert message.subject == subject.format(rma=request.rma)
        assert sentence.format(rma=request.rma) in message.body
        assert sentence.format(rma=request.rma) in html_of(message)

        mailbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return_set_free(return_request=request, is_free=False, actor=TEST_ACTOR)
        assert mailbox == []


def _complaint(shop, capture, language):
    with tenant_context(shop), capture(execute=True):
        return inspected_return(
            number="4001",
            resolution="refund",
            case_type="complaint",
            inspect=False,
            language=language,
        )


@pytest.mark.parametrize(
    ("language", "decision_line", "follow_up"),
    [
        ("en", "Our decision: repair.", "We will repair the item and send it back to you."),
        ("nl", "Ons besluit: reparatie.", "We repareren het artikel en sturen het naar je terug."),
    ],
)
def test_a_complaint_decision_is_mailed_with_its_reason(
    shop, mailbox, django_capture_on_commit_callbacks, language, decision_line, follow_up
):
    request = _complaint(shop, django_capture_on_commit_callbacks, language)
    mailbox.clear()
    with tenant_context(shop), django_capture_on_commit_callbacks(execute=True):
        return_decide(
            return_request=request, decision="repair", reason="Zip faulty.", actor=TEST_ACTOR
        )
    message = the_mail(mailbox, "return.decided")
    assert decision_line in message.body and follow_up in message.body
    assert "Zip faulty." in message.body and "Zip faulty." in html_of(message)


def test_a_replacement_decision_mails_the_exchange_order_with_its_number(
    shop, mailbox, django_capture_on_commit_callbacks
):
    request = _complaint(shop, django_capture_on_commit_callbacks, "nl")
    mailbox.clear()
    with tenant_context(shop), django_capture_on_commit_callbacks(execute=True):
        return_decide(
            return_request=request, decision="replace", reason="Defect.", actor=TEST_ACTOR
        )
    number = f"{request.rma}-X"
    exchange = the_mail(mailbox, "order.exchange_created")
    assert exchange.to == ["jan@example.nl"]
    assert exchange.subject == f"Je vervangende bestelling {number}"
    assert f"hebben we bestelling {number} met je vervangende artikel aangemaakt:" in exchange.body
    assert "- 2 × T-shirt M\n- 1 × Jeans 32" in exchange.body
    assert STATUS_PREFIX in exchange.body
    decided = the_mail(mailbox, "return.decided")
    assert f"bestelling {number} voor je vervangende artikel aangemaakt" in decided.body


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Paid to your original payment method on {date}."),
        ("nl", "Uitbetaald naar je oorspronkelijke betaalmethode op {date}."),
    ],
)
def test_refund_paid_mail_states_amount_method_and_date(
    shop, mailbox, django_capture_on_commit_callbacks, language, sentence
):
    with tenant_context(shop):
        request = _inspected(shop, django_capture_on_commit_callbacks, language)
        with django_capture_on_commit_callbacks(execute=True):
            # No payment provider is set up: the refund is a manual one.
            return_move(return_request=request, to="completed", actor=TEST_ACTOR)
        refund = Refund.objects.get()
        mailbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            refund_confirm_manual(refund=refund, actor=TEST_ACTOR, provider_reference="BANK-1")
        refund.refresh_from_db()

    message = the_mail(mailbox, "refund.succeeded")
    day = format_date(timezone.localtime(refund.succeeded_at), language)
    assert sentence.format(date=day) in message.body
    assert ("€99.95" if language == "en" else "€ 99,95") in message.subject
    assert f'<a href="{STATUS_PREFIX}' in html_of(message)
