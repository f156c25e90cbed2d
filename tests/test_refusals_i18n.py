"""One refusal, three readers: the API answers in the request's language, the back office
in the staff member's and the portal in the consumer's, all from the error registry."""

from __future__ import annotations

import pytest

from returns_platform.tenancy import tenant_context
from testing.orders import create_api_order
from testing.portal import Wizard, lines_of, make_order
from testing.returns import file_return
from testing.staff import client_for

pytestmark = pytest.mark.django_db


def test_an_api_refusal_reads_in_english_by_default_and_in_dutch_when_asked(tenant, api):
    order = create_api_order(api)
    line = {"order_line": order["lines"][0]["id"], "quantity": 1, "reason": "bored"}
    body = {"order": "1001", "resolution": "refund", "method": "drop_off", "lines": [line]}
    english = api.post("/api/v1/returns/", body, format="json")
    assert english.status_code == 422
    assert english.json() == {
        "code": "unknown_reason",
        "message": "Line 0: 'bored' is not one of the shop's return reasons.",
        "field": "lines[0].reason",
        "line": 0,
    }
    dutch = api.post("/api/v1/returns/", body, format="json", HTTP_ACCEPT_LANGUAGE="nl")
    assert dutch.status_code == 422
    # The contract stays: the same code, field and extra keys; only the words change.
    assert dutch.json() == {
        **english.json(),
        "message": "Regel 0: 'bored' is geen retourreden van de winkel.",
    }


def test_a_conflict_reads_in_german_through_the_api(tenant, api):
    with tenant_context(tenant):
        return_request = file_return(make_order(tenant, "1005"))
        line_id = return_request.lines.get().pk
    response = api.post(
        f"/api/v1/returns/{return_request.rma}/receipt/",
        {
            "lines": [
                {
                    "line_id": line_id,
                    "received_quantity": 1,
                    "condition": "as_new",
                    "disposition": "restock",
                }
            ]
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_receivable"
    assert response.json()["message"] == (
        "Eine Retoure mit dem Status Angefragt kann nicht angenommen werden."
    )


def test_a_back_office_refusal_reads_in_the_staff_members_dutch(tenant, agent):
    with tenant_context(tenant):
        return_request = file_return(make_order(tenant, "1001"))
    client = client_for(agent)
    client.post(
        f"/backoffice/requests/{return_request.rma}/transition/",
        {"to": "cancelled", "reason": "Customer asked"},
    )
    client.post("/backoffice/language/", {"language": "nl"})
    page = client.post(
        f"/backoffice/requests/{return_request.rma}/free-return/",
        {"is_free_return": "on"},
        follow=True,
    ).content.decode()
    assert (
        "De retourkosten van een retour met status Geannuleerd kunnen niet meer veranderen." in page
    )
    assert "can no longer change" not in page and "not_changeable" not in page


def test_a_portal_refusal_reads_in_the_consumers_german(client, tenant):
    order = make_order(tenant, language="de")
    shirt = lines_of(tenant, order)[0]
    wizard = Wizard(client)
    wizard.lookup()
    wizard.case("return")
    wizard.items({shirt.pk: 1})
    wizard.details({shirt.pk: "too_small"})
    wizard.resolution("refund")
    wizard.method("drop_off")
    with tenant_context(tenant):
        file_return(order, quantities=[shirt.quantity])  # the last units went
    response = wizard.confirm()
    assert response["Location"] == "/r/acme/items/"
    page = client.get("/r/acme/items/").content.decode()
    assert "Einige dieser Artikel können nicht mehr zurückgesendet werden." in page
    assert "Line 0" not in page and "quantity_exceeds_remaining" not in page
