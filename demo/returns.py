"""Demo returns for the demo shop: every status and case type, a held request, warnings
and photos. Called by ``manage.py seed_demo`` inside the tenant's scope; idempotent."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw

from orders.models import Order
from returns import services
from returns.models import ReturnPolicy, ReturnRequest
from returns.predicates import case_needs_parcel, case_needs_photo
from returns.selectors import return_policy_get, returned_quantities
from returns.workflow import return_move
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from tenants.models import Membership, Role

# (final status, case type, resolution, method, reason, comment)
PLAN: list[tuple[str, str, str, str, str, str]] = [
    ("requested", "return", "refund", "drop_off", "too_small", "Fits one size small."),
    ("requested", "return", "exchange", "qr_drop_off", "too_large", "Would like an M instead."),
    ("requested", "complaint", "refund", "drop_off", "defective", "Seam came loose."),
    ("requested", "return", "store_credit", "in_store", "changed_mind", ""),
    ("concept", "return", "refund", "drop_off", "not_as_described", "Colour differs."),
    ("concept", "return", "store_credit", "pickup", "changed_mind", ""),
    ("on_hold", "complaint", "repair", "drop_off", "defective", "Zip broken after a week."),
    ("on_hold", "return", "refund", "drop_off", "arrived_too_late", "Needed it for a trip."),
    ("approved", "return", "refund", "qr_drop_off", "too_small", ""),
    ("approved", "return", "exchange", "drop_off", "too_large", "Please send L."),
    ("approved", "missing_item", "refund", "own_shipping", "other", "Socks were not in box."),
    ("label_created", "return", "refund", "drop_off", "wrong_item", "Got a different model."),
    ("label_created", "return", "store_credit", "qr_drop_off", "changed_mind", ""),
    ("in_transit", "return", "refund", "drop_off", "too_small", ""),
    ("in_transit", "complaint", "refund", "pickup", "damaged_in_transit", "Box was crushed."),
    ("received", "return", "refund", "drop_off", "not_as_described", ""),
    ("received", "return", "refund", "in_store", "too_large", ""),
    ("inspected", "return", "refund", "drop_off", "changed_mind", ""),
    ("inspected", "complaint", "refund", "drop_off", "defective", "Sole came off."),
    ("completed", "return", "refund", "drop_off", "too_small", ""),
    # Completing pays (return_move runs the resolution); the store-credit example with its
    # voucher is the credits demo's.
    ("completed", "return", "refund", "qr_drop_off", "changed_mind", ""),
    ("completed", "missing_item", "refund", "own_shipping", "other", "Cap missing."),
    ("cancelled", "return", "refund", "drop_off", "changed_mind", "Kept it after all."),
    ("cancelled", "complaint", "refund", "drop_off", "defective", ""),
    ("expired", "return", "refund", "drop_off", "too_small", ""),
]
# This one is filed for an old order, so staff see an "outside the window" warning.
OUTSIDE_WINDOW_INDEX = 3
# Statuses passed through on the way to each final status (after "requested").
PATHS: dict[str, list[str]] = {
    "requested": [],
    "concept": ["concept"],
    "on_hold": ["on_hold"],
    "approved": ["concept", "approved"],
    "label_created": ["approved", "label_created"],
    "in_transit": ["approved", "label_created", "in_transit"],
    "received": ["approved", "label_created", "in_transit", "receive"],
    "inspected": ["approved", "label_created", "in_transit", "receive", "inspect"],
    "completed": ["approved", "label_created", "receive", "inspect", "completed"],
    "cancelled": ["cancelled"],
    "expired": ["approved", "label_created", "expired"],
}


def demo_photo(label: str, colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (320, 240), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 300, 220), outline=(255, 255, 255), width=4)
    draw.text((40, 110), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _staff(email: str) -> Any:
    membership = Membership.objects.select_related("user").filter(user__username=email).first()
    if membership is not None:
        return membership.user
    admin = Membership.objects.select_related("user").filter(role=Role.ADMIN).first()
    return admin.user if admin else None


def _candidates(case_type: str, used: set[int], *, oldest_first: bool = False) -> Any:
    """Recently delivered orders first; the oldest first for a request outside the window."""
    orders = Order.objects.filter(delivered_at__isnull=False).exclude(pk__in=used)
    orders = orders.prefetch_related("lines").select_related("channel")
    orders = orders.order_by("delivered_at" if oldest_first else "-delivered_at")
    for order in orders:
        lines = [line for line in order.lines.all() if line.returnable or case_type != "return"]
        if lines:
            yield order, lines


def _advance(return_request: ReturnRequest, steps: list[str], staff: Any, warehouse: Any) -> None:
    staff_actor = Actor.staff(staff) if staff else Actor.system("seed_demo")
    warehouse_actor = Actor.staff(warehouse) if warehouse else staff_actor
    for step in steps:
        if step == "receive" or step == "inspect":
            lines = list(return_request.lines.all())
            services.return_receive(
                return_request=return_request,
                lines=[
                    {
                        "line_id": line.pk,
                        "received_quantity": line.quantity,
                        "condition": "as_new" if index == 0 else "opened",
                        "disposition": "restock",
                    }
                    for index, line in enumerate(lines)
                ],
                actor=warehouse_actor,
                user=warehouse,
                complete_inspection=step == "inspect",
            )
            continue
        return_move(
            return_request=return_request,
            to=step,
            actor=staff_actor,
            user=staff,
            reason="Customer asked to cancel by phone." if step == "cancelled" else "",
        )


def seed(*, tenant: Any, stdout: Any) -> None:
    if ReturnRequest.objects.exists():
        stdout.write(f"{tenant.slug}: returns already seeded.")
        return
    policy = return_policy_get()
    ReturnPolicy.objects.filter(pk=policy.pk).update(
        methods={
            "drop_off": {"default": "4.95", "BE": "5.95", "DE": "5.95"},
            "qr_drop_off": {"default": "3.95"},
            "pickup": {"default": "7.95", "NL": "6.95"},
            "in_store": {"default": "0.00"},
            "own_shipping": {"default": "0.00"},
        },
        resolutions=["refund", "store_credit", "exchange", "repair"],
        store_credit_bonus_percent="5.00",
        non_returnable_categories=["gift_cards"],
        high_value_threshold="150.00",
    )
    agent = _staff("agent@demo.example")
    warehouse = _staff("warehouse@demo.example")
    used: set[int] = set()
    created = 0
    for number, (final, case_type, resolution, method, reason, comment) in enumerate(PLAN):
        late = number == OUTSIDE_WINDOW_INDEX
        for order, lines in _candidates(case_type, used, oldest_first=late):
            used.add(order.pk)
            held = returned_quantities(order_line_ids=[line.pk for line in lines])
            chosen = [line for line in lines if line.quantity > held.get(line.pk, 0)][:2]
            if not chosen:
                continue
            photos = None
            if case_needs_photo(case_type):  # one photo of the problem for the whole request
                photos = [
                    {
                        "name": f"photo-{number}.jpg",
                        "file": demo_photo(f"{reason} #{number}", (150, 40 + 8 * number, 60)),
                    }
                ]
            try:
                return_request = services.return_request_create(
                    order=order,
                    case_type=case_type,
                    resolution=resolution,
                    method=method,
                    lines=[
                        {
                            "order_line": line.pk,
                            "quantity": 1,
                            "reason_code": reason,
                            "comment": comment if index == 0 else "",
                        }
                        for index, line in enumerate(chosen)
                    ],
                    actor=Actor.consumer(order.email),
                    attachments=photos,
                )
            except DomainError:
                continue  # a rule refuses this order (window, country ...): try the next
            steps = list(PATHS[final])
            if final == "completed" and not case_needs_parcel(case_type):
                steps = ["approved", "completed"]
            _advance(return_request, steps, agent, warehouse)
            # A living queue has ages: the further along, the older the request.
            ReturnRequest.objects.filter(pk=return_request.pk).update(
                created_at=timezone.now() - timedelta(hours=3 + 9 * number)
            )
            created += 1
            break
    stdout.write(f"{tenant.slug}: {created} demo returns.")
