"""The portal's exchange: the customer picks the replacement (the same item or an
available variant), the request carries it, and the status page shows the replacement,
the exchange order and, for refunds, the accepted amount of each line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orders.services import order_upsert
from returns.selectors import return_policy_get
from returns_platform.tenancy import tenant_context
from testing.dates import recent_dates
from testing.orders import order_payload, service_data
from testing.portal import lines_of, returns_of
from testing.staff import TEST_ACTOR

pytestmark = pytest.mark.django_db
VARIANTS = [
    {"sku": "TSHIRT-L", "name": "T-shirt L", "unit_price": "19.95", "available": True},
    {"sku": "TSHIRT-L-PREMIUM", "name": "T-shirt L premium", "unit_price": "24.95"},
    {"sku": "TSHIRT-S-SALE", "name": "T-shirt S sale", "unit_price": "14.95"},
    {"sku": "TSHIRT-XL", "name": "T-shirt XL", "unit_price": "19.95", "available": False},
]


@pytest.fixture
def order(tenant):
    """Order 1001: two T-shirts M (19.95, with variants) and jeans, in Dutch."""
    payload = order_payload("1001", **recent_dates())
    payload["lines"][0]["variants"] = VARIANTS
    with tenant_context(tenant):
        return_policy_get()
        placed, _ = order_upsert(data=service_data(payload), actor=TEST_ACTOR)
        return placed


def to_exchange_step(wizard, tenant, order):
    shirt, jeans = lines_of(tenant, order)
    wizard.lookup()
    wizard.case("return")
    wizard.items({shirt.pk: 1, jeans.pk: 1})
    wizard.details({shirt.pk: "too_small", jeans.pk: "too_small"})
    assert wizard.resolution("exchange")["Location"] == "/r/acme/exchange/"
    return shirt, jeans


def complete(api, rma, accepted=None):
    api.post(f"/api/v1/returns/{rma}/transitions/", {"to": "approved"}, format="json")
    lines = api.get(f"/api/v1/returns/{rma}/").json()["lines"]
    receipt = [
        {
            "line_id": line["id"],
            "received_quantity": line["quantity"],
            "condition": "as_new" if not accepted else "opened",
            "disposition": "restock",
            **({"accepted_amount": accepted[index], "accepted_reason": "Worn"} if accepted else {}),
        }
        for index, line in enumerate(lines)
    ]
    booked = api.post(
        f"/api/v1/returns/{rma}/receipt/", {"lines": receipt, "inspected": True}, format="json"
    )
    assert booked.status_code == 200, booked.json()
    done = api.post(f"/api/v1/returns/{rma}/transitions/", {"to": "completed"}, format="json")
    assert done.status_code == 200, done.json()


def test_the_customer_picks_a_replacement_per_item(wizard, order, tenant, api):
    shirt, jeans = to_exchange_step(wizard, tenant, order)
    # The later steps wait for the choice.
    assert wizard.client.get("/r/acme/method/")["Location"] == "/r/acme/exchange/"
    page = wizard.client.get("/r/acme/exchange/").content.decode()
    shirt_options = page.split(f'data-testid="exchange-{shirt.pk}"')[1].split("</fieldset>")[0]
    assert 'value="TSHIRT-M"' in shirt_options  # the same item again
    assert "T-shirt L premium" in shirt_options and "5,00 EUR" in shirt_options
    assert "T-shirt S sale" in shirt_options and "14,95 EUR" in shirt_options
    assert "TSHIRT-XL" not in shirt_options  # not available now
    jeans_options = page.split(f'data-testid="exchange-{jeans.pk}"')[1].split("</fieldset>")[0]
    assert jeans_options.count('type="radio"') == 1  # no variants: the same jeans again
    answer = wizard.client.post(
        "/r/acme/exchange/",
        {f"exchange_{shirt.pk}": "TSHIRT-L-PREMIUM", f"exchange_{jeans.pk}": "JEANS-32"},
    )
    assert answer["Location"] == "/r/acme/method/"
    wizard.method("drop_off")
    review = wizard.client.get("/r/acme/review/").content.decode()
    assert review.count('data-testid="replacement"') == 2
    assert "Vervanging: T-shirt L premium (24,95 EUR)" in review
    assert wizard.confirm().status_code == 302
    (created,) = returns_of(tenant)
    chosen = {line.order_line_id: line for line in created.lines.all()}
    assert chosen[shirt.pk].exchange_sku == "TSHIRT-L-PREMIUM"
    assert chosen[shirt.pk].exchange_unit_price == Decimal("24.95")
    assert chosen[jeans.pk].exchange_sku == "JEANS-32"

    complete(api, created.rma)
    status = wizard.client.get(f"/r/acme/s/{created.access_token()}/").content.decode()
    assert status.count('data-testid="replacement-line"') == 2
    assert "T-shirt L premium" in status
    resolution = api.get(f"/api/v1/returns/{created.rma}/resolution/").json()
    number = resolution["exchange_order"]["number"]
    assert number in status.split('data-testid="exchange-order"')[1].split("</p>")[0]
    told = status.split('data-testid="exchange-order"')[1].split("</p>")[0]
    assert "5,00 EUR meer" in told  # in the order's language (Dutch)


def test_an_unavailable_or_unknown_variant_is_refused_and_nothing_is_kept(wizard, order, tenant):
    shirt, jeans = to_exchange_step(wizard, tenant, order)
    for sku in ("TSHIRT-XL", "NOPE"):
        answer = wizard.client.post(
            "/r/acme/exchange/", {f"exchange_{shirt.pk}": sku, f"exchange_{jeans.pk}": "JEANS-32"}
        )
        assert answer.status_code == 200 and 'role="alert"' in answer.content.decode()
    assert wizard.client.get("/r/acme/method/")["Location"] == "/r/acme/exchange/"


def test_changing_to_a_refund_drops_the_replacements(wizard, order, tenant):
    shirt, jeans = to_exchange_step(wizard, tenant, order)
    wizard.client.post(
        "/r/acme/exchange/",
        {f"exchange_{shirt.pk}": "TSHIRT-L", f"exchange_{jeans.pk}": "JEANS-32"},
    )
    assert wizard.resolution("refund")["Location"] == "/r/acme/method/"
    wizard.method("drop_off")
    assert 'data-testid="replacement"' not in wizard.client.get("/r/acme/review/").content.decode()
    assert wizard.confirm().status_code == 302
    (created,) = returns_of(tenant)
    assert created.resolution == "refund"
    assert {line.exchange_sku for line in created.lines.all()} == {""}


def test_the_status_page_shows_the_accepted_amount_of_each_line(wizard, order, tenant, api):
    shirt, jeans = lines_of(tenant, order)
    wizard.lookup()
    wizard.case("return")
    wizard.items({shirt.pk: 1, jeans.pk: 1})
    wizard.details({shirt.pk: "too_small", jeans.pk: "too_small"})
    wizard.resolution("refund")
    wizard.method("drop_off")
    wizard.confirm()
    (created,) = returns_of(tenant)
    token = created.access_token()
    before = wizard.client.get(f"/r/acme/s/{token}/").content.decode()
    assert 'data-testid="accepted-line"' not in before and 'data-testid="preview-total"' in before
    complete(api, created.rma, accepted=["15.00", "60.00"])
    page = wizard.client.get(f"/r/acme/s/{token}/").content.decode()
    accepted = [part.split("</span>")[0] for part in page.split('data-testid="accepted-line">')[1:]]
    assert len(accepted) == 2
    assert "15,00 EUR" in accepted[0] and "60,00 EUR" in accepted[1]
    resolution = api.get(f"/api/v1/returns/{created.rma}/resolution/").json()
    assert resolution["amount"] in page.replace(",", ".").split('data-testid="accepted-total"')[1]
