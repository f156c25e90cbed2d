"""Vouchers API: issue, look up, redeem, reverse; bad input changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credits.codes import format_code, generate_code
from credits.models import Voucher, VoucherEntry
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context
from testing.dates import days

pytestmark = pytest.mark.django_db


def snapshot(tenant) -> dict:
    with tenant_context(tenant):
        return {
            "vouchers": list(Voucher.objects.order_by("pk").values()),
            "entries": list(VoucherEntry.objects.order_by("pk").values()),
            "audit": AuditEvent.objects.count(),
        }


def issue(api, **fields) -> dict:
    body = {
        "amount": "25.00",
        "currency": "EUR",
        "description": "Goodwill",
        "valid_from": str(days(0)),
        "expires_at": str(days(365)),
        **fields,
    }
    response = api.post("/api/v1/vouchers/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def redeem(api, code, amount="10.00", **fields):
    return api.post(
        f"/api/v1/vouchers/{code}/redemptions/",
        {"amount": amount, "reference": "POS-1", **fields},
        format="json",
        **fields.pop("headers", {}),
    )


def test_issue_then_redeem_down_to_zero(api, tenant, published):
    voucher = issue(api, bonus="2.50")
    assert voucher["balance"] == "27.50"
    assert voucher["initial_amount"] == "27.50"
    assert voucher["status"] == "active"
    code = voucher["code"]
    assert len(code) == 24 and code.count("-") == 4

    first = redeem(api, code, "10.00")
    assert first.status_code == 201, first.json()
    assert first.json()["balance"] == "17.50"
    assert first.json()["entry"]["kind"] == "redeem"
    assert first.json()["entry"]["amount"] == "-10.00"

    # Look-ups forgive case, dashes and spaces.
    typed = code.lower().replace("-", " ")
    assert api.get(f"/api/v1/vouchers/{typed}/").json()["balance"] == "17.50"
    assert redeem(api, code, "17.50").json()["balance"] == "0.00"

    issued = [event for event in published if event.name == "voucher.issued"]
    assert issued[0].data == {
        "code": code,
        "amount": "27.50",
        "currency": "EUR",
        "valid_from": str(days(0)),
        "expires_at": str(days(365)),
        "email": "",
        "language": "",
        "order_number": "",
    }
    with tenant_context(tenant):
        actions = list(
            AuditEvent.objects.filter(subject_type="voucher").values_list("action", flat=True)
        )
    assert actions == ["voucher.issued", "voucher.redeemed", "voucher.redeemed"]


def test_issue_for_an_order_carries_its_email_and_language(api, order, published):
    voucher = issue(api, order="1001")
    assert voucher["order"] == "1001"
    data = [e for e in published if e.name == "voucher.issued"][0].data
    assert (data["email"], data["language"], data["order_number"]) == (
        "jan@example.nl",
        "nl",
        "1001",
    )


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"amount": "0.00"}, 422, "invalid_amount"),
        ({"amount": "-5.00"}, 422, "invalid_amount"),
        ({"amount": "5.001"}, 422, "invalid_precision"),
        ({"amount": "5.0001"}, 400, "validation_error"),
        ({"amount": "5.5", "currency": "JPY"}, 422, "invalid_precision"),
        ({"currency": "XXX"}, 400, "validation_error"),
        ({"expires_at": str(days(-1))}, 422, "invalid_validity"),
        ({"bonus": "-1.00"}, 422, "invalid_amount"),
        ({"colour": "red"}, 400, "validation_error"),
        ({"order": "9999"}, 404, "not_found"),
    ],
)
def test_issue_bad_input_writes_nothing(api, tenant, fields, status, code):
    before = snapshot(tenant)
    body = {"amount": "25.00", "currency": "EUR", "valid_from": str(days(0)), **fields}
    response = api.post("/api/v1/vouchers/", body, format="json")
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    assert snapshot(tenant) == before


def test_redeem_bad_input_changes_nothing(api, tenant, make_voucher):
    voucher = make_voucher("25.00", expires_at=days(30))
    code = format_code(voucher.code)
    not_yet = format_code(make_voucher("5.00", valid_from=days(2), expires_at=days(30)).code)
    with tenant_context(tenant):
        expired = make_voucher("5.00", valid_from=days(-30), expires_at=days(30))
        Voucher.objects.filter(pk=expired.pk).update(expires_at=days(0))
    expired = format_code(expired.code)
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    unknown = format_code(generate_code())
    before = snapshot(tenant)

    cases = [
        (code, {"amount": "0.00"}, 422, "invalid_amount"),
        (code, {"amount": "-1.00"}, 422, "invalid_amount"),
        (code, {"amount": "25.01"}, 422, "insufficient_balance"),
        (code, {"amount": "1.00", "currency": "USD"}, 422, "currency_mismatch"),
        (code, {"amount": "ten"}, 400, "validation_error"),
        (expired, {"amount": "1.00"}, 422, "voucher_expired"),
        (not_yet, {"amount": "1.00"}, 422, "voucher_not_yet_valid"),
        (unknown, {"amount": "1.00"}, 404, "unknown_voucher"),
        (typo, {"amount": "1.00"}, 422, "invalid_code_checksum"),
        ("NOT-A-CODE", {"amount": "1.00"}, 400, "invalid_code_format"),
    ]
    for target, body, status, error_code in cases:
        response = api.post(f"/api/v1/vouchers/{target}/redemptions/", body, format="json")
        assert response.status_code == status, (target, body, response.json())
        assert response.json()["code"] == error_code
    assert api.get(f"/api/v1/vouchers/{typo}/").json()["code"] == "invalid_code_checksum"
    assert snapshot(tenant) == before


def test_insufficient_balance_names_the_balance(api, make_voucher):
    code = format_code(make_voucher("25.00").code)
    response = redeem(api, code, "30.00")
    assert response.status_code == 422
    assert response.json()["code"] == "insufficient_balance"
    assert response.json()["balance"] == "25.00"


def test_retried_redemption_with_the_same_key_is_applied_once(api, tenant, make_voucher):
    voucher = make_voucher("25.00")
    code = format_code(voucher.code)
    url = f"/api/v1/vouchers/{code}/redemptions/"
    body = {"amount": "10.00", "reference": "POS-7"}
    first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="till-7-sale-1")
    again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="till-7-sale-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    with tenant_context(tenant):
        voucher.refresh_from_db()
        entry = VoucherEntry.objects.get(kind="redeem")
    assert voucher.balance == Decimal("15.00")
    assert entry.idempotency_key == "till-7-sale-1"


def test_key_kept_on_the_entry_applies_once_even_without_the_api_record(tenant, make_voucher):
    """The service itself honours the key (e.g. a POS retry through another path)."""
    from credits.services import voucher_redeem
    from testing.credits import STAFF

    voucher = make_voucher("25.00")
    with tenant_context(tenant):
        _, first = voucher_redeem(
            voucher=voucher, amount=Decimal("10.00"), actor=STAFF, idempotency_key="k1"
        )
        _, second = voucher_redeem(
            voucher=voucher, amount=Decimal("10.00"), actor=STAFF, idempotency_key="k1"
        )
        voucher.refresh_from_db()
    assert first.pk == second.pk
    assert voucher.balance == Decimal("15.00")


def test_reverse_a_redemption_once(api, tenant, make_voucher):
    code = format_code(make_voucher("25.00").code)
    entry = redeem(api, code, "10.00").json()["entry"]
    url = f"/api/v1/vouchers/{code}/redemptions/{entry['id']}/reversal/"

    reversed_ = api.post(url, {}, format="json")
    assert reversed_.status_code == 201, reversed_.json()
    assert reversed_.json()["balance"] == "25.00"
    assert reversed_.json()["entry"]["reverses"] == entry["id"]
    assert reversed_.json()["entry"]["amount"] == "10.00"

    before = snapshot(tenant)
    again = api.post(url, {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_reversed"
    missing = api.post(f"/api/v1/vouchers/{code}/redemptions/999999/reversal/", {}, format="json")
    assert missing.status_code == 404
    assert missing.json()["code"] == "unknown_entry"
    assert snapshot(tenant) == before

    ledger = api.get(f"/api/v1/vouchers/{code}/redemptions/").json()
    assert [line["kind"] for line in ledger] == ["issue", "redeem", "reverse"]


def test_another_tenants_codes_are_unknown_everywhere(api, outsider_api, tenant, make_voucher):
    code = format_code(make_voucher("25.00").code)
    entry = redeem(api, code, "5.00").json()["entry"]
    before = snapshot(tenant)
    attempts = [
        outsider_api.get(f"/api/v1/vouchers/{code}/"),
        outsider_api.get(f"/api/v1/vouchers/{code}/redemptions/"),
        outsider_api.post(f"/api/v1/vouchers/{code}/redemptions/", {"amount": "1.00"}, "json"),
        outsider_api.post(
            f"/api/v1/vouchers/{code}/redemptions/{entry['id']}/reversal/", {}, format="json"
        ),
    ]
    for response in attempts:
        assert response.status_code == 404
        assert response.json()["code"] == "unknown_voucher"
    assert outsider_api.get("/api/v1/vouchers/").json()["results"] == []
    assert snapshot(tenant) == before


def test_colleague_sees_and_redeems_the_same_vouchers(api, colleague_api, make_voucher):
    code = format_code(make_voucher("25.00").code)
    assert (
        colleague_api.post(
            f"/api/v1/vouchers/{code}/redemptions/", {"amount": "5.00"}, format="json"
        ).json()["balance"]
        == "20.00"
    )
    assert api.get(f"/api/v1/vouchers/{code}/").json()["balance"] == "20.00"


def test_query_counts_do_not_grow(api, make_voucher, order, django_assert_num_queries):
    codes = [format_code(make_voucher("10.00").code) for _ in range(3)]
    api.get("/api/v1/vouchers/")  # records the key's last use (once a minute)
    # One query for the page (orders joined); the API key comes from its cache.
    with django_assert_num_queries(1):
        page = api.get("/api/v1/vouchers/?limit=2")
    assert len(page.json()["results"]) == 2
    for _ in range(5):
        make_voucher("10.00", order=order)
    with django_assert_num_queries(1):
        page = api.get("/api/v1/vouchers/?limit=8")
    assert len(page.json()["results"]) == 8
    with django_assert_num_queries(1):
        assert api.get(f"/api/v1/vouchers/{codes[0]}/").status_code == 200
