"""One battery for every back-office URL: login required, role checks, and another
shop's objects answered 404 with nothing changed (owner, colleague, outsider)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from importlib.util import find_spec

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from backoffice import conversation
from backoffice.tests.conftest import add_staff, client_for
from returns.models import Attachment, ReturnReason, ReturnRequest
from returns_platform.audit import Actor
from returns_platform.models import AuditEvent
from returns_platform.tenancy import tenant_context, unscoped_context
from tenants.models import ApiKey, Membership, Role, SalesChannel
from tenants.services import api_key_create

pytestmark = pytest.mark.django_db

ADMIN, AGENT, WAREHOUSE = Role.ADMIN.value, Role.AGENT.value, Role.WAREHOUSE.value
ALL = {ADMIN, AGENT, WAREHOUSE}
SERVICE = {ADMIN, AGENT}
ONLY_ADMIN = {ADMIN}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str  # placeholders: {rma} {number} {reason} {channel} {key} {member} {file}
    roles: set = field(hash=False)
    data: dict = field(default_factory=dict, hash=False)

    @property
    def has_object(self) -> bool:
        return "{" in self.path or self.name == "queue-bulk"


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
    Route("settings", "get", "/backoffice/settings/", ONLY_ADMIN),
    Route("settings-policy", "get", "/backoffice/settings/policy/", ONLY_ADMIN),
    Route(
        "settings-policy-save",
        "post",
        "/backoffice/settings/policy/",
        ONLY_ADMIN,
        {"window_days_return": "15"},
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
# The other apps' screens under /backoffice/ go through the same battery once they exist.
if find_spec("credits.backoffice_urls") is not None:
    ROUTES += [
        Route("credits", "get", "/backoffice/credits/", SERVICE),
        Route("credits-notes", "get", "/backoffice/credits/credit-notes/", SERVICE),
        Route("credits-refunds", "get", "/backoffice/credits/refunds/", SERVICE),
        Route("credits-returns", "get", "/backoffice/credits/returns/", SERVICE),
    ]
if find_spec("notifications.backoffice_urls") is not None:
    ROUTES += [
        Route("notifications", "get", "/backoffice/notifications/", SERVICE),
        Route("notifications-templates", "get", "/backoffice/notifications/templates/", ONLY_ADMIN),
        Route("notifications-mails", "get", "/backoffice/notifications/mails/", SERVICE),
        Route(
            "notifications-order-mails",
            "get",
            "/backoffice/notifications/mails/order/{number}/",
            SERVICE,
        ),
        Route(
            "notifications-return-mails",
            "get",
            "/backoffice/notifications/mails/return/{rma}/",
            SERVICE,
        ),
        Route("notifications-webhooks", "get", "/backoffice/notifications/webhooks/", ONLY_ADMIN),
    ]
if conversation.available():
    ROUTES.append(
        Route(
            "request-message",
            "post",
            "/backoffice/requests/{rma}/messages/",
            SERVICE,
            {"body": "Hello from the shop"},
        )
    )
    ROUTES.append(
        Route("message-file", "get", "/backoffice/requests/{rma}/messages/files/{file}/", SERVICE)
    )


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def _objects(tenant, request_obj, *, member_email: str) -> dict:
    """Ids of one shop's objects, in the shapes the URLs take."""
    from backoffice.services import receipt_photos_store
    from returns.attachments import attachment_check

    with tenant_context(tenant):
        return_request = ReturnRequest.objects.get(pk=request_obj.pk)
        line = return_request.lines.first()
        [photo] = receipt_photos_store(
            return_request=return_request,
            photos=[(line, attachment_check(name="p.png", upload=photo_bytes()))],
            actor=Actor.system("test"),
        )
        channel, _ = SalesChannel.objects.get_or_create(
            code="shop", defaults={"name": "Shop", "kind": "store"}
        )
        key = api_key_create(name="erp", actor=Actor.system("test")).api_key
        member = Membership.objects.get(user__username=member_email)
        file_id = photo.pk
        if conversation.available():
            from django.core.files.uploadedfile import SimpleUploadedFile

            message = conversation.post(
                return_request=return_request,
                body="With a file",
                actor=Actor.system("test"),
                attachments=[SimpleUploadedFile("m.png", photo_bytes(), "image/png")],
            )
            message_file = message.attachments.first().pk
        else:
            message_file = None
        return {
            "rma": return_request.rma,
            "number": return_request.order.number,
            "reason": ReturnReason.objects.order_by("pk").first().pk,
            "channel": channel.pk,
            "key": key.pk,
            "member": member.pk,
            "file": file_id,
            "message_file": message_file,
        }


def _fill(route: Route, ids: dict) -> tuple[str, dict]:
    values = dict(ids)
    if "messages/files" in route.path:
        values["file"] = ids["message_file"]
    path = route.path.format(**values)
    data = {}
    for key, value in route.data.items():
        if isinstance(value, list):
            data[key] = [item.format(**values) for item in value]
        else:
            data[key] = value.format(**values) if isinstance(value, str) else value
    if route.name == "receipt-book":
        data = {}
    return path, data


def _call(client: Client, route: Route, path: str, data: dict):
    return getattr(client, route.method)(path, data)


def _snapshot(tenant) -> tuple:
    """Everything a stray write would change in a shop."""
    with unscoped_context():
        return (
            AuditEvent.unscoped.filter(tenant=tenant).count(),
            sorted(
                ReturnRequest.unscoped.filter(tenant=tenant).values_list(
                    "rma", "status", "is_free_return", "assignee_id"
                )
            ),
            sorted(Membership.unscoped.filter(tenant=tenant).values_list("pk", "role")),
            ApiKey.unscoped.filter(tenant=tenant, revoked_at__isnull=True).count(),
            sorted(SalesChannel.unscoped.filter(tenant=tenant).values_list("code", "name")),
            sorted(ReturnReason.unscoped.filter(tenant=tenant).values_list("code", "label_en")),
            Attachment.unscoped.filter(tenant=tenant).count(),
        )


@pytest.fixture
def staff(tenant, admin_user, agent, warehouse_user):
    return {ADMIN: admin_user, AGENT: agent, WAREHOUSE: warehouse_user}


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_login_and_role_checks(route, shop, staff):
    ids = _objects(shop["tenant"], shop["request"], member_email="warehouse@acme.example")
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
        assert response.status_code in (200, 302, 422), (role, response.status_code)


OBJECT_ROUTES = [route for route in ROUTES if route.has_object]


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda route: route.name)
def test_another_shops_objects_are_404_and_untouched(route, shop, staff, outsider):
    ids = _objects(outsider["tenant"], outsider["request"], member_email="admin@globex.example")
    assert ids["rma"] == "R-000003" and ids["number"] == "7002"
    before = _snapshot(outsider["tenant"])
    path, data = _fill(route, ids)
    if route.name == "warehouse-scan":
        # A scanned code is input, not a URL: another shop's RMA is simply not found.
        response = _call(client_for(staff[ADMIN]), route, path, data)
        assert response.status_code == 200
        assert "R-000003" in response.content.decode()
    else:
        for role in sorted(route.roles):
            response = _call(client_for(staff[role]), route, path, data)
            assert response.status_code == 404, (role, response.status_code)
    assert _snapshot(outsider["tenant"]) == before


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
