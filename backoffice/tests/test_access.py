"""One battery for every back-office URL: login required, role checks, and another
shop's objects answered 404 with nothing changed (owner, colleague, outsider).

``test_every_backoffice_url_is_in_the_battery`` walks the URL resolver, so a new screen
under /backoffice/ fails the suite until it has a Route here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from returns_platform.tenancy import tenant_context
from tenants.models import Membership, Role
from testing.backoffice_access import OWN_WORDS, every_row, objects_for
from testing.staff import add_staff, client_for

pytestmark = pytest.mark.django_db

ADMIN, AGENT, WAREHOUSE = Role.ADMIN.value, Role.AGENT.value, Role.WAREHOUSE.value
ALL = {ADMIN, AGENT, WAREHOUSE}
SERVICE = {ADMIN, AGENT}
ONLY_ADMIN = {ADMIN}


# What a permitted role may get back: the page, a redirect after a write, or the
# screen's own answer to the input (a form error 400/422, "already booked" 409).
SHOWN = frozenset({200, 302, 422})
ANSWERED = SHOWN | {400, 409}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    # Placeholders are filled by ``_objects``: {rma} {number} {reason} {channel} {key}
    # {member} {file} {message_file} {voucher} {note} {booked_note} {refund} {resolvable}
    # {mail} {subscription} {delivery}; {event}/{language} name a mail template; {table}
    # an analytics table.
    path: str
    roles: set = field(hash=False)
    data: dict = field(default_factory=dict, hash=False)
    ok: frozenset = field(default=SHOWN, hash=False)
    # What another shop's ids get: 404, unless they are typed input or no shop's object.
    foreign: frozenset = field(default=frozenset({404}), hash=False)

    @property
    def placeholders(self) -> set[str]:
        text = self.path + " ".join(
            " ".join(value) if isinstance(value, list) else str(value)
            for value in self.data.values()
        )
        return set(re.findall(r"\{(\w+)\}", text))

    @property
    def has_object(self) -> bool:
        return bool(self.placeholders)


TOMORROW = (timezone.localdate() + timezone.timedelta(days=3)).isoformat()
REASON_DATA = {"code": "x", "label_en": "Changed", "label_nl": "Gewijzigd", "order": 5}
CHANNEL_DATA = {"code": "changed", "name": "Changed", "kind": "store", "consultant": ""}

ROUTES = [
    Route("dashboard", "get", "/backoffice/", ALL),
    Route("queue", "get", "/backoffice/queue/", SERVICE),
    Route(
        "queue-bulk",
        "post",
        "/backoffice/queue/bulk/",
        SERVICE,
        {"action": "concept", "selected": ["{rma}"]},
    ),
    Route("request", "get", "/backoffice/requests/{rma}/", SERVICE),
    Route(
        "request-transition",
        "post",
        "/backoffice/requests/{rma}/transition/",
        SERVICE,
        {"to": "concept"},
    ),
    Route(
        "request-free",
        "post",
        "/backoffice/requests/{rma}/free-return/",
        SERVICE,
        {"is_free_return": "on"},
    ),
    Route(
        "request-assign", "post", "/backoffice/requests/{rma}/assign/", SERVICE, {"assignee": ""}
    ),
    Route("request-carrier-retry", "post", "/backoffice/requests/{rma}/carrier-retry/", SERVICE),
    Route(
        "request-decision",
        "post",
        "/backoffice/requests/{rma}/decision/",
        SERVICE,
        {"decision": "refund", "reason": "Defect confirmed"},
    ),
    Route("request-file", "get", "/backoffice/requests/{rma}/files/{file}/", ALL),
    Route("warehouse", "get", "/backoffice/warehouse/", ALL),
    Route("warehouse-scan", "post", "/backoffice/warehouse/", ALL, {"code": "{rma}"}),
    Route("receipt", "get", "/backoffice/warehouse/{rma}/", ALL),
    Route("receipt-book", "post", "/backoffice/warehouse/{rma}/", ALL),
    Route("orders", "get", "/backoffice/orders/", SERVICE),
    Route("order", "get", "/backoffice/orders/{number}/", SERVICE),
    Route(
        "order-delay",
        "post",
        "/backoffice/orders/{number}/delay/",
        SERVICE,
        {"expected_at": TOMORROW, "reason": "Supplier late"},
    ),
    Route(
        "order-cancel",
        "post",
        "/backoffice/orders/{number}/cancel/",
        SERVICE,
        {"reason": "Out of stock"},
    ),
    Route("analytics", "get", "/backoffice/analytics/", SERVICE),
    Route("analytics-settings", "get", "/backoffice/analytics/settings/", ONLY_ADMIN),
    Route(
        "analytics-settings-save",
        "post",
        "/backoffice/analytics/settings/",
        ONLY_ADMIN,
        {
            "target_days": "10",
            "repeat_rate_percent": "40",
            "repeat_min_returns": "2",
            "min_units_sold": "5",
        },
    ),
    # A table is named, not a shop's object: every shop downloads its own figures.
    Route(
        "analytics-export",
        "get",
        "/backoffice/analytics/export/{table}.csv",
        SERVICE,
        foreign=frozenset({200}),
    ),
    Route("settings", "get", "/backoffice/settings/", ONLY_ADMIN),
    Route("settings-policy", "get", "/backoffice/settings/policy/", ONLY_ADMIN),
    Route(
        "settings-policy-save",
        "post",
        "/backoffice/settings/policy/",
        ONLY_ADMIN,
        {"window_days_return": "15"},
    ),
    Route("settings-cases", "get", "/backoffice/settings/cases/", ONLY_ADMIN),
    Route(
        "settings-cases-save",
        "post",
        "/backoffice/settings/cases/",
        ONLY_ADMIN,
        {"window_days_business": "30"},
    ),
    Route("settings-reasons", "get", "/backoffice/settings/reasons/", ONLY_ADMIN),
    Route("settings-reason", "get", "/backoffice/settings/reasons/{reason}/", ONLY_ADMIN),
    Route(
        "settings-reason-save",
        "post",
        "/backoffice/settings/reasons/{reason}/",
        ONLY_ADMIN,
        REASON_DATA,
    ),
    Route("settings-channels", "get", "/backoffice/settings/channels/", ONLY_ADMIN),
    Route("settings-channel", "get", "/backoffice/settings/channels/{channel}/", ONLY_ADMIN),
    Route(
        "settings-channel-save",
        "post",
        "/backoffice/settings/channels/{channel}/",
        ONLY_ADMIN,
        CHANNEL_DATA,
    ),
    Route("settings-shop", "get", "/backoffice/settings/shop/", ONLY_ADMIN),
    Route("settings-carriers", "get", "/backoffice/settings/carriers/", ONLY_ADMIN),
    Route(
        "settings-carriers-save",
        "post",
        "/backoffice/settings/carriers/",
        ONLY_ADMIN,
        {
            "carrier": "dpd",
            "dpd-active": "on",
            "dpd-credential_delis_id": "d1",
            "dpd-credential_password": "p",
        },
    ),
    Route("settings-payments", "get", "/backoffice/settings/payments/", ONLY_ADMIN),
    Route(
        "settings-payments-save",
        "post",
        "/backoffice/settings/payments/",
        ONLY_ADMIN,
        {
            "section": "refunds",
            "refunds-default_provider": "manual",
            "refunds-four_eyes_booking": "on",
            "refunds-voucher_bonus_percent": "5",
            "refunds-voucher_validity_days": "100",
        },
    ),
    Route(
        "settings-payments-key",
        "post",
        "/backoffice/settings/payments/",
        ONLY_ADMIN,
        {"section": "mollie", "action": "save", "mollie-api_key": "test_dHar4XY7LxsDOtmnkVtjN"},
    ),
    Route("settings-api-keys", "get", "/backoffice/settings/api-keys/", ONLY_ADMIN),
    Route(
        "settings-api-key-revoke", "post", "/backoffice/settings/api-keys/{key}/revoke/", ONLY_ADMIN
    ),
    Route("settings-team", "get", "/backoffice/settings/team/", ONLY_ADMIN),
    Route(
        "settings-team-role",
        "post",
        "/backoffice/settings/team/{member}/role/",
        ONLY_ADMIN,
        {"role": "agent"},
    ),
    Route("settings-team-remove", "post", "/backoffice/settings/team/{member}/remove/", ONLY_ADMIN),
]
ROUTES += [
    Route(
        "request-message",
        "post",
        "/backoffice/requests/{rma}/messages/",
        SERVICE,
        {"body": "Hello from the shop"},
    ),
    Route(
        "message-file", "get", "/backoffice/requests/{rma}/messages/files/{message_file}/", SERVICE
    ),
]

# Credits (backoffice/views/credits.py): customer service only.
CREDITS = "/backoffice/credits"
CREDIT_NOTE_DATA = {
    "order": "{number}",
    "reason": "missed_discount",
    "description": "Discount code not applied",
    "amount": "7.50",
    "tax_rate": "21",
    "payout_method": "voucher",
}
ROUTES += [
    Route("credits", "get", f"{CREDITS}/", SERVICE),
    Route("credits-voucher-find", "get", f"{CREDITS}/vouchers/", SERVICE),
    Route("credits-voucher-issue", "get", f"{CREDITS}/vouchers/new/", SERVICE),
    Route(
        "credits-voucher-issue-save",
        "post",
        f"{CREDITS}/vouchers/new/",
        SERVICE,
        {"amount": "10.00", "currency": "EUR", "description": "Goodwill"},
    ),
    Route("credits-voucher", "get", f"{CREDITS}/vouchers/{{voucher}}/", SERVICE),
    Route(
        "credits-voucher-redeem",
        "post",
        f"{CREDITS}/vouchers/{{voucher}}/redeem/",
        SERVICE,
        {"amount": "1.00", "reference": "Till 3"},
        ok=ANSWERED,
    ),
    Route(
        "credits-voucher-void",
        "post",
        f"{CREDITS}/vouchers/{{voucher}}/void/",
        SERVICE,
        {"reason": "Fraud"},
        ok=ANSWERED,  # the second role finds it void already (400)
    ),
    Route("credits-notes", "get", f"{CREDITS}/credit-notes/", SERVICE),
    Route("credits-note-create", "get", f"{CREDITS}/credit-notes/new/", SERVICE),
    Route(
        "credits-note-create-save",
        "post",
        f"{CREDITS}/credit-notes/new/",
        SERVICE,
        CREDIT_NOTE_DATA,
        # Another shop's order number is typed input: "no order with this number".
        foreign=frozenset({400}),
    ),
    Route("credits-note", "get", f"{CREDITS}/credit-notes/{{note}}/", SERVICE),
    Route(
        "credits-note-book",
        "post",
        f"{CREDITS}/credit-notes/{{note}}/book/",
        SERVICE,
        ok=ANSWERED,  # the second role finds it booked already (409)
    ),
    Route(
        "credits-note-document",
        "get",
        f"{CREDITS}/credit-notes/{{booked_note}}/document.pdf",
        SERVICE,
    ),
    Route("credits-refunds", "get", f"{CREDITS}/refunds/", SERVICE),
    Route(
        "credits-refund-confirm",
        "post",
        f"{CREDITS}/refunds/{{refund}}/confirm/",
        SERVICE,
        {"provider_reference": "BANK-2026-7"},
        ok=ANSWERED,  # the second role finds it paid already (400)
    ),
    Route("credits-returns", "get", f"{CREDITS}/returns/", SERVICE),
    Route("credits-return-resolve", "get", f"{CREDITS}/returns/{{resolvable}}/resolve/", SERVICE),
    Route(
        "credits-return-resolve-save",
        "post",
        f"{CREDITS}/returns/{{resolvable}}/resolve/",
        SERVICE,
    ),
]

# Notifications (backoffice/views/notifications.py): mails for customer service, templates
# and webhooks for admins.
NOTES = "/backoffice/notifications"
TEMPLATE = f"{NOTES}/templates/{{event}}/{{language}}"
TEMPLATE_DATA = {"subject": "Your return {{ rma }}", "body": "We have your parcel."}
HOOK_DATA = {"url": "http://127.0.0.1:9/hook", "events": ["*"], "active": "on"}
# A template is named by event and language, not by a shop's id: another shop's text for
# the same mail is answered with this shop's text, and stays as it was.
OWN_TEMPLATE = frozenset({200, 302})
ROUTES += [
    Route("notifications", "get", f"{NOTES}/", SERVICE),
    Route("notifications-templates", "get", f"{NOTES}/templates/", ONLY_ADMIN),
    Route(
        "notifications-mail-switches",
        "post",
        f"{NOTES}/templates/sent/",
        ONLY_ADMIN,
        {"sent": ["return.approved"]},
    ),
    Route("notifications-template", "get", f"{TEMPLATE}/", ONLY_ADMIN, foreign=OWN_TEMPLATE),
    Route(
        "notifications-template-save",
        "post",
        f"{TEMPLATE}/",
        ONLY_ADMIN,
        {**TEMPLATE_DATA, "action": "save"},
        foreign=OWN_TEMPLATE,
    ),
    Route(
        "notifications-template-preview",
        "post",
        f"{TEMPLATE}/preview/",
        ONLY_ADMIN,
        TEMPLATE_DATA,
        foreign=OWN_TEMPLATE,
    ),
    Route(
        "notifications-template-reset",
        "post",
        f"{TEMPLATE}/reset/",
        ONLY_ADMIN,
        foreign=OWN_TEMPLATE,
    ),
    Route("notifications-mails", "get", f"{NOTES}/mails/", SERVICE),
    Route("notifications-order-mails", "get", f"{NOTES}/mails/order/{{number}}/", SERVICE),
    Route("notifications-return-mails", "get", f"{NOTES}/mails/return/{{rma}}/", SERVICE),
    Route("notifications-mail", "get", f"{NOTES}/mails/{{mail}}/", SERVICE),
    Route("notifications-mail-resend", "post", f"{NOTES}/mails/{{mail}}/resend/", SERVICE),
    Route("notifications-webhooks", "get", f"{NOTES}/webhooks/", ONLY_ADMIN),
    Route("notifications-webhook-create", "post", f"{NOTES}/webhooks/", ONLY_ADMIN, HOOK_DATA),
    Route("notifications-webhook", "get", f"{NOTES}/webhooks/{{subscription}}/", ONLY_ADMIN),
    Route(
        "notifications-webhook-save",
        "post",
        f"{NOTES}/webhooks/{{subscription}}/",
        ONLY_ADMIN,
        HOOK_DATA,
    ),
    Route(
        "notifications-webhook-rotate",
        "post",
        f"{NOTES}/webhooks/{{subscription}}/rotate/",
        ONLY_ADMIN,
    ),
    Route(
        "notifications-webhook-delete",
        "post",
        f"{NOTES}/webhooks/{{subscription}}/delete/",
        ONLY_ADMIN,
    ),
    Route(
        "notifications-webhook-delivery-resend",
        "post",
        f"{NOTES}/webhooks/{{subscription}}/deliveries/{{delivery}}/resend/",
        ONLY_ADMIN,
    ),
]

# URLs under /backoffice/ that are not screens of a shop: they work before a shop is
# chosen, so the role and other-shop checks do not apply (tested in test_queue_and_detail
# and test_i18n).
NOT_SHOP_SCREENS = {
    "backoffice/login/",  # signing in
    "backoffice/logout/",  # signing out
    "backoffice/tenants/",  # choosing one of the user's shops
    "backoffice/language/",  # the staff member's language, kept in the session
}


def backoffice_patterns() -> list[str]:
    """Every URL pattern under /backoffice/, as the resolver has it (``<int:pk>``)."""

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            elif isinstance(pattern, URLPattern):
                yield route

    return [route for route in walk(get_resolver()) if route.startswith("backoffice/")]


def _template(path: str) -> str:
    """``/backoffice/orders/{number}/`` and ``backoffice/orders/<str:number>/`` alike."""
    return re.sub(r"<[^>]+>|\{\w+\}", "{}", path.lstrip("/"))


def test_every_backoffice_url_is_in_the_battery():
    patterns = backoffice_patterns()
    assert len(patterns) > 60  # the walk reached the included apps
    covered = {_template(route.path) for route in ROUTES}
    missing = [
        pattern
        for pattern in patterns
        if pattern not in NOT_SHOP_SCREENS and _template(pattern) not in covered
    ]
    assert missing == [], f"back-office URLs without a Route in the access battery: {missing}"
    # And no Route points at a URL that is gone.
    known = {_template(pattern) for pattern in patterns}
    assert sorted(covered - known) == []


def _fill(route: Route, ids: dict) -> tuple[str, dict]:
    path = route.path.format(**ids)
    data = {}
    for key, value in route.data.items():
        if isinstance(value, list):
            data[key] = [item.format(**ids) for item in value]
        elif isinstance(value, str) and "{{" not in value:
            data[key] = value.format(**ids)
        else:
            data[key] = value
    if route.name == "receipt-book":
        data = {}
    return path, data


def _call(client: Client, route: Route, path: str, data: dict):
    return getattr(client, route.method)(path, data)


@pytest.fixture
def staff(tenant, admin_user, agent, warehouse_user, settings):
    # Webhook subscriptions point at a loopback address nothing listens on.
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    return {ADMIN: admin_user, AGENT: agent, WAREHOUSE: warehouse_user}


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_login_and_role_checks(route, shop, staff):
    ids = objects_for(
        shop["tenant"],
        shop["request"],
        member_email="warehouse@acme.example",
        needed=route.placeholders,
    )
    path, data = _fill(route, ids)

    anonymous = _call(Client(), route, path, data)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/backoffice/login/")

    # Roles without access first: a refusal must not depend on what the others did.
    for role in sorted(ALL - route.roles):
        response = _call(client_for(staff[role]), route, path, data)
        assert response.status_code == 403, (role, response.status_code)
    for role in sorted(route.roles):
        response = _call(client_for(staff[role]), route, path, data)
        assert response.status_code in route.ok, (role, response.status_code)


OBJECT_ROUTES = [route for route in ROUTES if route.has_object]


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda route: route.name)
def test_another_shops_objects_are_404_and_untouched(route, shop, staff, outsider):
    ids = objects_for(
        outsider["tenant"],
        outsider["request"],
        member_email="admin@globex.example",
        needed=route.placeholders,
    )
    assert ids["rma"] == "R-000003" and ids["number"] == "7002"
    before = every_row(outsider["tenant"])
    path, data = _fill(route, ids)
    if route.name == "warehouse-scan":
        # A scanned code is input, not a URL: another shop's RMA is simply not found.
        response = _call(client_for(staff[ADMIN]), route, path, data)
        assert response.status_code == 200
        assert "R-000003" in response.content.decode()
    else:
        for role in sorted(route.roles):
            response = _call(client_for(staff[role]), route, path, data)
            assert response.status_code in route.foreign, (role, response.status_code)
            assert OWN_WORDS not in response.content.decode()
    assert every_row(outsider["tenant"]) == before


def test_a_member_of_two_shops_sees_only_the_chosen_one(shop, outsider, client):
    user = add_staff(outsider["tenant"], "agent@acme.example", Role.AGENT)
    add_staff(shop["tenant"], "agent@acme.example", Role.AGENT)
    client.force_login(user)
    assert client.get("/backoffice/queue/").url == "/backoffice/tenants/"
    client.post("/backoffice/tenants/", {"tenant": shop["tenant"].pk})
    assert client.get("/backoffice/requests/R-000001/").status_code == 200
    assert client.get("/backoffice/requests/R-000003/").status_code == 404
    client.post("/backoffice/tenants/", {"tenant": outsider["tenant"].pk})
    assert client.get("/backoffice/requests/R-000003/").status_code == 200


def test_a_removed_member_is_shut_out_at_once(shop, staff):
    agent_client = client_for(staff[AGENT])
    assert agent_client.get("/backoffice/queue/").status_code == 200
    admin_client = client_for(staff[ADMIN])
    with tenant_context(shop["tenant"]):
        membership = Membership.objects.get(user=staff[AGENT])
    admin_client.post(f"/backoffice/settings/team/{membership.pk}/remove/")
    assert agent_client.get("/backoffice/queue/").url == "/backoffice/tenants/"
