"""Carrier codes and the states of a return shipment."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Carrier(models.TextChoices):
    SENDCLOUD = "sendcloud", "Sendcloud"
    DHL_PARCEL_DE = "dhl_parcel_de", "DHL Parcel DE"
    DPD = "dpd", "DPD"
    GLS = "gls", "GLS"


class ShipmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be booked")
    BOOKED = "booked", _("Booked")
    FAILED = "failed", _("Booking failed")
    IN_TRANSIT = "in_transit", _("In transit")
    DELIVERED = "delivered", _("Delivered to the warehouse")
    CANCELLED = "cancelled", _("Cancelled")


class PickupStatus(models.TextChoices):
    NONE = "", _("No pickup")
    REQUESTED = "requested", _("Requested")
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Booking failed")
