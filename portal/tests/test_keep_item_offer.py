"""Keep the item as the customer's choice: the method step offers it with the amount,
the customer takes it or sends the items back as usual."""

from __future__ import annotations

from decimal import Decimal

import pytest

from returns.policy import return_policy_update
from returns_platform.tenancy import tenant_context
from testing.portal import lines_of, returns_of
from testing.staff import TEST_ACTOR

pytestmark = pytest.mark.django_db
OFFER = 'data-testid="keep-item-offer"'


def keep_below(tenant, amount="25.00"):
    with tenant_context(tenant):
        return_policy_update(changes={"keep_item_below": {"EUR": amount}}, actor=TEST_ACTOR)


def to_method_step(wizard, tenant, order, shirts=1):
    shirt, _jeans, _gift = lines_of(tenant, order)
    wizard.lookup()
    wizard.case("return")
    wizard.items({shirt.pk: shirts})
    wizard.details({shirt.pk: "too_small"})
    assert wizard.resolution("refund")["Location"] == "/r/acme/method/"
    return shirt


def test_the_customer_takes_the_offer_and_keeps_the_item(
    wizard, order, tenant, django_capture_on_commit_callbacks
):
    keep_below(tenant)
    to_method_step(wizard, tenant, order)
    page = wizard.client.get("/r/acme/method/").content.decode()
    assert OFFER in page
    # The whole price comes back: no return cost is deducted from a kept item.
    assert 'value="keep_item"' in page and "19,95 EUR" in page.split(OFFER)[1].split("</div>")[0]
    assert wizard.method("keep_item")["Location"] == "/r/acme/review/"
    review = wizard.client.get("/r/acme/review/").content.decode()
    assert 'data-testid="keep-item"' in review
    assert "4,95" not in review and "19,95 EUR" in review
    with django_capture_on_commit_callbacks(execute=True):
        assert wizard.confirm().status_code == 302
    (created,) = returns_of(tenant)
    assert created.keep_item is True
    assert (created.return_cost, created.refund_total) == (Decimal("0"), Decimal("19.95"))
    assert created.label_ready_at is None
    status = wizard.client.get(f"/r/acme/s/{created.access_token()}/").content.decode()
    assert 'data-testid="label"' not in status


def test_the_customer_declines_and_sends_the_item_back(wizard, order, tenant):
    keep_below(tenant)
    to_method_step(wizard, tenant, order)
    assert OFFER in wizard.client.get("/r/acme/method/").content.decode()
    assert wizard.method("drop_off")["Location"] == "/r/acme/review/"
    review = wizard.client.get("/r/acme/review/").content.decode()
    assert 'data-testid="keep-item"' not in review and "4,95" in review
    wizard.confirm()
    (created,) = returns_of(tenant)
    assert created.keep_item is False and created.method == "drop_off"
    assert (created.return_cost, created.refund_total) == (Decimal("4.95"), Decimal("15.00"))


def test_no_offer_above_the_threshold_and_keep_cannot_be_forced(wizard, order, tenant):
    keep_below(tenant)
    to_method_step(wizard, tenant, order, shirts=2)  # 39.90 EUR
    page = wizard.client.get("/r/acme/method/").content.decode()
    assert OFFER not in page and 'value="keep_item"' not in page
    refused = wizard.method("keep_item")
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    assert returns_of(tenant) == []


def test_changing_the_items_drops_the_choice_and_a_withdrawn_offer_is_explained(
    wizard, order, tenant, django_capture_on_commit_callbacks
):
    keep_below(tenant)
    shirt = to_method_step(wizard, tenant, order)
    wizard.method("keep_item")
    wizard.items({shirt.pk: 1})  # back to the items: the keep choice is asked again
    wizard.details({shirt.pk: "too_small"})
    wizard.resolution("refund")
    assert 'value="keep_item" checked' not in wizard.client.get("/r/acme/method/").content.decode()
    wizard.method("keep_item")
    with django_capture_on_commit_callbacks(execute=True):  # the cached policy is dropped
        keep_below(tenant, amount="10.00")  # the shop lowers its threshold meanwhile
    answer = wizard.confirm()
    assert answer["Location"] == "/r/acme/method/"
    assert returns_of(tenant) == []
    page = wizard.client.get("/r/acme/method/").content.decode()
    assert OFFER not in page and 'class="message error"' in page
    assert "niet langer" in page  # the explanation, in the order's language (Dutch)
