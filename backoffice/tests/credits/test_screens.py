"""Back-office credits screens: roles, other shops' ids, bad input, query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credits.codes import format_code
from credits.models import CreditNote, CreditSettings, Refund, ReturnResolution, Voucher
from credits.services import credit_note_create, refund_create, voucher_redeem
from credits.services.credit_notes import Payout
from returns.models import ReturnRequest
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from tenants.models import Role
from tenants.services import membership_set, user_get_or_create
from testing.credits import STAFF, inspected_return

pytestmark = pytest.mark.django_db
BASE = "/backoffice/credits/"
YEAR = timezone.localdate().year


def staff(tenant, email: str, role: str):
    user = user_get_or_create(email=email, password="pw")
    with tenant_context(tenant):
        membership_set(user=user, role=role, actor=STAFF)
    return user


@pytest.fixture
def agent(tenant):
    return staff(tenant, "agent@acme.example", Role.AGENT)


@pytest.fixture
def colleague(tenant):
    return staff(tenant, "colleague@acme.example", Role.ADMIN)


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def outsider_client(client, other_tenant):
    from django.test import Client

    outsider = Client()
    outsider.force_login(staff(other_tenant, "agent@globex.example", Role.AGENT))
    return outsider


def snapshot(tenant) -> dict:
    with tenant_context(tenant):
        return {
            "vouchers": list(Voucher.objects.order_by("pk").values("pk", "balance", "status")),
            "notes": list(CreditNote.objects.order_by("pk").values("pk", "status", "number")),
            "refunds": list(Refund.objects.order_by("pk").values("pk", "status")),
            "returns": list(ReturnRequest.objects.order_by("pk").values("pk", "status")),
            "resolutions": ReturnResolution.objects.count(),
            "audit": AuditEvent.objects.count(),
        }


def test_only_signed_in_admins_and_agents_of_the_shop_get_in(client, tenant, agent):
    assert client.get(BASE).status_code == 302
    assert client.get(BASE)["Location"].startswith("/backoffice/login/")
    client.force_login(staff(tenant, "warehouse@acme.example", Role.WAREHOUSE))
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}credit-notes/").status_code == 403
    client.force_login(agent)
    assert client.get(BASE).status_code == 200
    client.force_login(staff(tenant, "boss@acme.example", Role.ADMIN))
    page = client.get(BASE)
    assert page.status_code == 200
    assert "<title>Credits · Acme</title>" in page.content.decode()


def test_find_a_voucher_by_code_and_redeem_it(agent_client, tenant, make_voucher, agent):
    voucher = make_voucher("25.00")
    typed = format_code(voucher.code).lower().replace("-", " ")
    found = agent_client.get(f"{BASE}vouchers/", {"code": typed})
    assert found.status_code == 302
    assert found["Location"] == f"{BASE}vouchers/{voucher.pk}/"

    redeemed = agent_client.post(
        f"{BASE}vouchers/{voucher.pk}/redeem/", {"amount": "10.00", "reference": "Till 3"}
    )
    assert redeemed.status_code == 302
    page = agent_client.get(f"{BASE}vouchers/{voucher.pk}/").content.decode()
    assert "15.00 EUR" in page
    assert "Till 3" in page
    with tenant_context(tenant):
        entry = voucher.entries.get(kind="redeem")
    assert entry.actor == f"staff:{agent.pk} {agent.get_username()}"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("typo", "check character"),
        ("NOT-A-CODE", "20 letters and digits"),
        ("unknown", "No voucher with this code"),
        ("", "This field is required"),
    ],
)
def test_finding_a_bad_code_shows_why(agent_client, make_voucher, code, message):
    real = format_code(make_voucher("5.00").code)
    if code == "typo":
        code = real[:-1] + ("0" if real[-1] != "0" else "1")
    elif code == "unknown":
        from credits.codes import generate_code

        code = format_code(generate_code())
    response = agent_client.get(f"{BASE}vouchers/", {"code": code})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("30.00", "The voucher&#x27;s balance is 25.00 EUR."),
        ("0", "The amount must be greater than zero."),
        ("-3", "The amount must be greater than zero."),
        ("ten", "Enter a number."),
        ("1.001", "EUR amounts have 2 decimal places."),
        ("1.0001", "Ensure that there are no more than 3 decimal places."),
    ],
)
def test_bad_redemptions_show_a_field_error_and_change_nothing(
    agent_client, tenant, make_voucher, amount, message
):
    voucher = make_voucher("25.00")
    before = snapshot(tenant)
    response = agent_client.post(f"{BASE}vouchers/{voucher.pk}/redeem/", {"amount": amount})
    assert response.status_code == 400
    assert 'id="id_amount-error"' in response.content.decode()
    assert message in response.content.decode()
    assert snapshot(tenant) == before


def test_void_needs_a_reason_then_writes_the_balance_off(agent_client, tenant, make_voucher):
    voucher = make_voucher("25.00")
    before = snapshot(tenant)
    refused = agent_client.post(f"{BASE}vouchers/{voucher.pk}/void/", {"reason": ""})
    assert refused.status_code == 400
    assert snapshot(tenant) == before
    done = agent_client.post(f"{BASE}vouchers/{voucher.pk}/void/", {"reason": "Fraud"})
    assert done.status_code == 302
    with tenant_context(tenant):
        voucher.refresh_from_db()
    assert (voucher.status, voucher.balance) == ("void", Decimal("0.00"))
    again = agent_client.post(f"{BASE}vouchers/{voucher.pk}/void/", {"reason": "Twice"})
    assert again.status_code == 400
    assert "The voucher is void." in again.content.decode()


def credit_note_form(**fields) -> dict:
    return {
        "order": "1001",
        "reason": "missed_discount",
        "description": "Discount code SUMMER was not applied",
        "amount": "7.50",
        "tax_rate": "21",
        "payout_method": "voucher",
        **fields,
    }


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"order": "9999"}, "order", "No order with this number."),
        ({"amount": "0"}, "amount", "The amount must be greater than zero."),
        ({"amount": ""}, "amount", "This field is required."),
        ({"reason": "because"}, "reason", "Select a valid choice."),
        (
            {"payout_method": "bank_transfer", "iban": "NL91ABNA0417164301", "account_holder": "J"},
            "iban",
            "is not a valid IBAN",
        ),
        ({"payout_method": "bank_transfer", "iban": "NL91ABNA0417164300"}, "account_holder", ""),
        ({"payout_method": "gift_card"}, "gift_card_reference", "gift card"),
        ({"payout_method": "original_payment", "provider": "stripe"}, "provider", "stripe"),
    ],
)
def test_creating_a_credit_note_with_bad_input_shows_field_errors_and_changes_nothing(
    agent_client, tenant, order, fields, field, message
):
    before = snapshot(tenant)
    response = agent_client.post(f"{BASE}credit-notes/new/", credit_note_form(**fields))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}-error"' in page
    assert message in page
    assert snapshot(tenant) == before


def test_create_book_and_download_a_credit_note_with_four_eyes(
    agent_client, client, tenant, order, agent, colleague
):
    with tenant_context(tenant):
        CreditSettings.objects.update_or_create(defaults={"four_eyes_booking": True})
    created = agent_client.post(f"{BASE}credit-notes/new/", credit_note_form())
    assert created.status_code == 302
    with tenant_context(tenant):
        note = CreditNote.objects.get()
    assert created["Location"] == f"{BASE}credit-notes/{note.pk}/"
    assert (note.status, note.created_by) == ("draft", agent)
    before = snapshot(tenant)

    refused = agent_client.post(f"{BASE}credit-notes/{note.pk}/book/")
    assert refused.status_code == 403
    assert "a colleague other than the author (agent@acme.example) has to book it" in (
        refused.content.decode()
    )
    assert snapshot(tenant) == before
    assert agent_client.get(f"{BASE}credit-notes/{note.pk}/document.pdf").status_code == 404

    from django.test import Client

    second = Client()
    second.force_login(colleague)
    booked = second.post(f"{BASE}credit-notes/{note.pk}/book/")
    assert booked.status_code == 302
    page = second.get(f"{BASE}credit-notes/{note.pk}/").content.decode()
    assert f"CN-{YEAR}-00001" in page and "colleague@acme.example" in page
    again = second.post(f"{BASE}credit-notes/{note.pk}/book/")
    assert again.status_code == 409
    assert f"CN-{YEAR}-00001 is already booked" in again.content.decode()

    pdf = second.get(f"{BASE}credit-notes/{note.pk}/document.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    listing = second.get(f"{BASE}credit-notes/", {"status": "booked"}).content.decode()
    assert f"CN-{YEAR}-00001" in listing


def test_confirm_a_manual_refund(agent_client, tenant, order):
    with tenant_context(tenant):
        refund = refund_create(order=order, amount=Decimal("12.00"), actor=STAFF)
    listing = agent_client.get(f"{BASE}refunds/", {"status": "pending"}).content.decode()
    assert "Confirm paid" in listing
    before = snapshot(tenant)
    empty = agent_client.post(f"{BASE}refunds/{refund.pk}/confirm/", {"provider_reference": ""})
    assert empty.status_code == 400
    assert snapshot(tenant) == before
    done = agent_client.post(
        f"{BASE}refunds/{refund.pk}/confirm/", {"provider_reference": "BANK-2026-11-23-7"}
    )
    assert done.status_code == 302
    with tenant_context(tenant):
        refund.refresh_from_db()
    assert (refund.status, refund.provider_reference) == ("succeeded", "BANK-2026-11-23-7")
    twice = agent_client.post(
        f"{BASE}refunds/{refund.pk}/confirm/", {"provider_reference": "again"}
    )
    assert twice.status_code == 400
    assert "The refund is succeeded." in twice.content.decode()


def test_resolve_an_inspected_return_from_the_back_office_once(agent_client, tenant, agent):
    with tenant_context(tenant):
        return_request = inspected_return(resolution="store_credit", bonus_percent="5")
    assert return_request.rma in agent_client.get(f"{BASE}returns/").content.decode()
    url = f"{BASE}returns/{return_request.rma}/resolve/"
    preview = agent_client.get(url).content.decode()
    assert "109.85 EUR" in preview and "5.49" in preview

    assert agent_client.post(url).status_code == 302
    assert agent_client.post(url).status_code == 200  # shows the resolution; pays nothing
    with tenant_context(tenant):
        resolution = ReturnResolution.objects.get()
        assert Voucher.objects.count() == 1
        assert ReturnRequest.objects.get(pk=return_request.pk).status == "completed"
        completed = AuditEvent.objects.get(action="return.completed")
    assert resolution.voucher.balance == Decimal("115.34")
    assert completed.actor_id == str(agent.pk)
    page = agent_client.get(url).content.decode()
    assert format_code(resolution.voucher.code) in page
    assert return_request.rma not in agent_client.get(f"{BASE}returns/").content.decode()


def test_resolving_a_return_that_is_not_inspected_says_why(agent_client, tenant):
    with tenant_context(tenant):
        return_request = inspected_return(inspect=False)
    before = snapshot(tenant)
    response = agent_client.post(f"{BASE}returns/{return_request.rma}/resolve/")
    assert response.status_code == 400
    assert "only an inspected return is resolved" in response.content.decode()
    assert snapshot(tenant) == before


def test_another_shops_ids_are_not_found_and_change_nothing(
    outsider_client, tenant, order, make_voucher
):
    voucher = make_voucher("25.00")
    with tenant_context(tenant):
        note = credit_note_create(
            order=order,
            reason="goodwill",
            amount=Decimal("5.00"),
            payout=Payout("voucher"),
            actor=STAFF,
        )
        refund = refund_create(order=order, amount=Decimal("3.00"), actor=STAFF)
        return_request = inspected_return(number="3001")
    before = snapshot(tenant)
    gets = [
        f"{BASE}vouchers/{voucher.pk}/",
        f"{BASE}credit-notes/{note.pk}/",
        f"{BASE}credit-notes/{note.pk}/document.pdf",
        f"{BASE}returns/{return_request.rma}/resolve/",
    ]
    posts = [
        (f"{BASE}vouchers/{voucher.pk}/redeem/", {"amount": "1.00"}),
        (f"{BASE}vouchers/{voucher.pk}/void/", {"reason": "x"}),
        (f"{BASE}credit-notes/{note.pk}/book/", {}),
        (f"{BASE}refunds/{refund.pk}/confirm/", {"provider_reference": "x"}),
        (f"{BASE}returns/{return_request.rma}/resolve/", {}),
    ]
    assert [outsider_client.get(url).status_code for url in gets] == [404] * len(gets)
    assert [outsider_client.post(url, data).status_code for url, data in posts] == [404] * len(
        posts
    )
    found = outsider_client.get(f"{BASE}vouchers/", {"code": format_code(voucher.code)})
    assert found.status_code == 400 and "No voucher with this code" in found.content.decode()
    for listing in ("credit-notes/", "refunds/", "returns/"):
        page = outsider_client.get(f"{BASE}{listing}").content.decode()
        assert "1001" not in page and return_request.rma not in page
    assert snapshot(tenant) == before


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_are_constant_in_the_number_of_rows(
    agent_client, tenant, order, make_voucher, django_assert_num_queries
):
    voucher = make_voucher("100.00")

    def add_rows(count: int) -> None:
        with tenant_context(tenant):
            for _ in range(count):
                voucher_redeem(voucher=voucher, amount=Decimal("1.00"), actor=STAFF)
                note = credit_note_create(
                    order=order,
                    reason="goodwill",
                    amount=Decimal("1.00"),
                    payout=Payout("bank_transfer", iban="NL91ABNA0417164300", account_holder="J"),
                    actor=STAFF,
                )
                refund_create(order=order, amount=Decimal("0.50"), actor=STAFF, credit_note=note)

    pages = [
        f"{BASE}vouchers/{voucher.pk}/",
        f"{BASE}credit-notes/",
        f"{BASE}refunds/",
        f"{BASE}returns/",
        BASE,
    ]
    add_rows(2)
    with tenant_context(tenant):
        inspected_return(number="4001")
    agent_client.get(BASE)  # the first request stores the chosen shop in the session
    small = {url: count_queries(agent_client, url) for url in pages}
    add_rows(10)
    with tenant_context(tenant):
        inspected_return(number="4002")
        inspected_return(number="4003")
    for url in pages:
        with django_assert_num_queries(small[url]):
            agent_client.get(url)
    # Session, user and membership (3), then the page's own reads: the voucher and its
    # ledger; count, notes, their lines; count and refunds; count and returns; 3 counts.
    assert list(small.values()) == [5, 6, 5, 5, 6]


def test_resolving_to_an_unconfigured_provider_shows_it_on_the_field(agent_client, tenant):
    with tenant_context(tenant):
        return_request = inspected_return(resolution="refund")
    before = snapshot(tenant)
    response = agent_client.post(
        f"{BASE}returns/{return_request.rma}/resolve/", {"provider": "mollie"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_provider-error"' in page
    assert "No mollie account is configured for this shop." in page
    assert snapshot(tenant) == before
