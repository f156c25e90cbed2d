"""seed_demo shows a store-credit return completed with its voucher and booked credit note."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from credits.codes import format_code
from credits.models import CreditNote, ReturnResolution, Voucher
from demo.management.commands.seed_demo import DEMO_API_KEY
from returns_platform.tenancy import tenant_context
from tenants.models import Tenant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_has_a_store_credit_return_with_a_working_voucher_and_a_booked_note():
    out = StringIO()
    call_command("seed_demo", "--orders", "60", stdout=out)
    demo = Tenant.objects.get(slug="demo")
    with tenant_context(demo):
        resolution = ReturnResolution.objects.select_related("voucher", "credit_note").get(
            outcome="store_credit"
        )
        voucher, note = resolution.voucher, resolution.credit_note
        counts = (ReturnResolution.objects.count(), CreditNote.objects.count())
        vouchers = Voucher.objects.count()
    assert note.status == "booked" and note.number.startswith("CN-")
    assert voucher.balance == resolution.amount + resolution.bonus > resolution.amount
    assert f"voucher {format_code(voucher.code)}" in out.getvalue()

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {DEMO_API_KEY}")
    redeemed = api.post(
        f"/api/v1/vouchers/{format_code(voucher.code)}/redemptions/",
        {"amount": "1.00", "reference": "demo"},
        format="json",
    )
    assert redeemed.status_code == 201, redeemed.json()
    pdf = api.get(f"/api/v1/credit-notes/{note.pk}/document.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    history = api.get(f"/api/v1/orders/{note.order.number}/history/").json()
    steps = {event["action"]: event["actor"]["label"] for event in history}
    assert steps["return.inspected"] == "warehouse@demo.example"
    assert steps["credit_note.booked"] == "agent@demo.example"
    assert steps["voucher.issued"] == "agent@demo.example"
    assert steps["return.completed"] == "agent@demo.example"

    call_command("seed_demo", "--orders", "60", stdout=StringIO())
    with tenant_context(demo):
        assert (ReturnResolution.objects.count(), CreditNote.objects.count()) == counts
        assert Voucher.objects.count() == vouchers
