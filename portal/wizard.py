"""The portal's wizard state: what the consumer chose so far, kept in the session.

The session lives on the server (only its random id travels in a cookie), under one key
per shop, so two shops' portals open in one browser never mix. Nothing in it is
trusted at confirmation: the create service re-checks every line, quantity, reason,
method and resolution against the order and the policy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SESSION_KEY = "portal:{tenant_id}"


@dataclass
class Photo:
    """A photo already checked and re-encoded, waiting in temporary storage."""

    path: str
    name: str
    content_type: str
    size: int


@dataclass
class LineState:
    quantity: int = 0
    reason: str = ""
    comment: str = ""
    photos: list[Photo] = field(default_factory=list)
    # An exchange: the SKU of the replacement (the same item or one of its variants).
    exchange_sku: str = ""


@dataclass
class WizardState:
    order_id: int
    case_type: str = ""
    lines: dict[str, LineState] = field(default_factory=dict)
    details_done: bool = False
    resolution: str = ""
    method: str = ""
    # The customer took the keep-the-item offer (method step): nothing is sent back.
    keep_item: bool = False
    # Carrier choices (portal/views/dropoff.py): only when a carrier account serves the return.
    carrier_step: bool = False
    service_point: dict = field(default_factory=dict)
    pickup_slot: str = ""  # "2026-12-01|09:00-13:00"

    def chosen_lines(self) -> dict[int, LineState]:
        return {int(key): line for key, line in self.lines.items() if line.quantity > 0}

    def all_photos(self) -> list[Photo]:
        return [photo for line in self.lines.values() for photo in line.photos]

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WizardState:
        lines = {
            key: LineState(
                quantity=int(value.get("quantity", 0)),
                reason=str(value.get("reason", "")),
                comment=str(value.get("comment", "")),
                photos=[Photo(**photo) for photo in value.get("photos", [])],
                exchange_sku=str(value.get("exchange_sku", "")),
            )
            for key, value in (data.get("lines") or {}).items()
        }
        return cls(
            order_id=int(data["order_id"]),
            case_type=str(data.get("case_type", "")),
            lines=lines,
            details_done=bool(data.get("details_done", False)),
            resolution=str(data.get("resolution", "")),
            method=str(data.get("method", "")),
            keep_item=bool(data.get("keep_item", False)),
            carrier_step=bool(data.get("carrier_step", False)),
            service_point=dict(data.get("service_point") or {}),
            pickup_slot=str(data.get("pickup_slot", "")),
        )


def state_load(request, tenant) -> WizardState | None:
    data = request.session.get(SESSION_KEY.format(tenant_id=tenant.pk))
    if not data:
        return None
    try:
        return WizardState.from_dict(data)
    except (KeyError, TypeError, ValueError):
        return None


def state_save(request, tenant, state: WizardState) -> None:
    request.session[SESSION_KEY.format(tenant_id=tenant.pk)] = state.as_dict()


def state_clear(request, tenant) -> None:
    request.session.pop(SESSION_KEY.format(tenant_id=tenant.pk), None)
