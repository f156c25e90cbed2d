"""Carrier accounts of a shop, the return shipments booked with them and their events."""

from __future__ import annotations

from django.db import models

from carriers.statuses import Carrier, PickupStatus, ShipmentStatus
from returns.models import random_stored_name
from returns_platform.money_fields import AmountColumn
from returns_platform.secrets import EncryptedJSONField
from returns_platform.tenancy import TenantOwnedModel


class CarrierAccount(TenantOwnedModel):
    """A shop's contract with one carrier: credentials (encrypted) and where it is used."""

    carrier = models.CharField(max_length=20, choices=Carrier.choices)
    active = models.BooleanField(default=True)
    # Encrypted at rest (FIELD_ENCRYPTION_KEYS); never returned by the API or the screens.
    credentials = EncryptedJSONField(blank=True, default=dict)
    # ISO country codes of the customers this account serves; empty serves every country.
    countries = models.JSONField(default=list, blank=True)
    # Return methods (returns.statuses.ReturnMethod) booked with this account.
    methods = models.JSONField(default=list, blank=True)
    # Carrier product, e.g. Sendcloud's shipping option code "postnl:small/return".
    service_code = models.CharField(max_length=100, blank=True)
    # Where the carrier delivers the returns; empty fields fall back to the shop's address.
    return_name = models.CharField(max_length=200, blank=True)
    return_street = models.CharField(max_length=200, blank=True)
    return_house_number = models.CharField(max_length=20, blank=True)
    return_postcode = models.CharField(max_length=20, blank=True)
    return_city = models.CharField(max_length=100, blank=True)
    return_country = models.CharField(max_length=2, blank=True)
    # Pickup at home: offered only for these product categories (empty: every parcel).
    pickup_categories = models.JSONField(default=list, blank=True)
    # ... or for a return weighing at least this much (empty: no weight rule).
    pickup_min_weight_kg = models.DecimalField(
        max_digits=7, decimal_places=3, null=True, blank=True
    )
    # Parcel types by weight, lightest first: [{"code", "max_kg", "price"}] (carriers/parcels.py).
    parcel_types = models.JSONField(default=list, blank=True)
    # What a returned unit weighs when its order line carries no weight.
    default_item_weight_grams = models.PositiveIntegerField(default=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["carrier"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "carrier"], name="carrieraccount_unique")
        ]

    def __str__(self) -> str:
        return self.get_carrier_display()


def carrier_label_path(instance: ReturnShipment, filename: str) -> str:
    return random_stored_name("carrier-labels", instance.tenant_id, filename)


class ReturnShipment(TenantOwnedModel):
    """The one carrier shipment of a return (unique per return: never booked twice)."""

    return_request = models.ForeignKey(
        "returns.ReturnRequest",
        on_delete=models.CASCADE,
        related_name="carrier_shipments",
        db_index=False,
    )
    account = models.ForeignKey(
        CarrierAccount, on_delete=models.PROTECT, related_name="shipments", db_index=False
    )
    status = models.CharField(
        max_length=16, choices=ShipmentStatus.choices, default=ShipmentStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    carrier_reference = models.CharField(max_length=100, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    tracking_url = models.URLField(max_length=500, blank=True)
    label_pdf = models.FileField(upload_to=carrier_label_path, max_length=200, blank=True)
    # The code a service point scans instead of a printed label (QR payload or number).
    label_less_code = models.CharField(max_length=500, blank=True)
    # The customer's chosen service point: {"id", "name", "street", "postcode", "city", ...}.
    service_point = models.JSONField(default=dict, blank=True)
    pickup_date = models.DateField(null=True, blank=True)
    pickup_slot = models.CharField(max_length=20, blank=True)
    pickup_status = models.CharField(
        max_length=16, choices=PickupStatus.choices, default=PickupStatus.NONE, blank=True
    )
    pickup_reference = models.CharField(max_length=100, blank=True)
    # The parcel as booked: its weight and the parcel type (and price) that weight chose.
    weight_kg = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    parcel_type = models.CharField(max_length=100, blank=True)
    parcel_price = AmountColumn(max_digits=11, null=True, blank=True)
    parcel_currency = models.CharField(max_length=3, blank=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    in_transit_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    tracked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "return_request"], name="returnshipment_one_per_return"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "account"], name="returnshipment_account"),
            models.Index(fields=["tenant", "status", "next_attempt_at"], name="returnshipment_due"),
            models.Index(fields=["tenant", "tracking_number"], name="returnshipment_tracking"),
        ]

    def __str__(self) -> str:
        return self.tracking_number or f"shipment of return {self.return_request_id}"

    @property
    def days_in_transit(self) -> int | None:
        """Whole days from the carrier's first scan to delivery at the warehouse."""
        if self.in_transit_at is None or self.delivered_at is None:
            return None
        return (self.delivered_at - self.in_transit_at).days


class ShipmentEvent(TenantOwnedModel):
    """One scan or status message from the carrier (webhook or polling)."""

    shipment = models.ForeignKey(
        ReturnShipment, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    occurred_at = models.DateTimeField()
    code = models.CharField(max_length=50, blank=True)
    description = models.CharField(max_length=500)
    location = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "shipment", "occurred_at", "code"],
                name="shipmentevent_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.description}"
