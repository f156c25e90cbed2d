"""Tenants (shops), their staff memberships, sales channels and API keys."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from returns_platform import constraints
from returns_platform.money import validate_country, validate_currency
from returns_platform.tenancy import TenantOwnedModel

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")


class Tenant(models.Model):
    """A shop. Not tenant-owned itself: it *is* the scope."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=50, unique=True)
    is_active = models.BooleanField(default=True)
    default_language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    currency = models.CharField(max_length=3, default="EUR", validators=[validate_currency])
    country = models.CharField(max_length=2, default="NL", validators=[validate_country])
    brand_colour = models.CharField(max_length=7, default="#1f4b99", validators=[hex_colour])
    logo = models.ImageField(upload_to="logos/", blank=True)
    return_address_name = models.CharField(max_length=200, blank=True)
    return_address_street = models.CharField(max_length=200, blank=True)
    return_address_postcode = models.CharField(max_length=20, blank=True)
    return_address_city = models.CharField(max_length=100, blank=True)
    return_address_country = models.CharField(
        max_length=2, default="NL", validators=[validate_country]
    )
    # The seller as credit notes name it (EU VAT directive art. 226): legal name, address
    # and VAT number. Empty fields fall back to the shop's name and return address.
    legal_name = models.CharField(max_length=200, blank=True)
    legal_address = models.TextField(blank=True)
    vat_number = models.CharField(max_length=20, blank=True)
    notification_email = models.EmailField(blank=True)
    policy_url = models.URLField(blank=True)
    support_url = models.URLField(blank=True)
    # The mails the shop has switched off (their event or staff template names); every
    # other mail is sent. Kept on the shop row, which is in scope anyway, so deciding
    # costs no query.
    mails_switched_off = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [constraints.currency_code("tenant_currency_code")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    AGENT = "agent", "Agent"
    WAREHOUSE = "warehouse", "Warehouse"


class Membership(TenantOwnedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class ChannelKind(models.TextChoices):
    WEBSHOP = "webshop", "Web shop"
    MARKETPLACE = "marketplace", "Marketplace"
    STORE = "store", "Store"


class SalesChannel(TenantOwnedModel):
    code = models.SlugField(max_length=50, db_index=False)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=ChannelKind.choices)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        help_text="Staff member new requests of this channel are assigned to.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="channel_unique_code")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiScope(models.TextChoices):
    """What a shop system may do with a key. ``read`` reads every area; each other scope
    reads and writes its own area."""

    READ = "read", _("Read everything")
    ORDERS = "orders", _("Orders and order events")
    RETURNS = "returns", _("Returns, receipts, messages and labels")
    CREDITS = "credits", _("Credit notes, vouchers and refunds")
    WEBHOOKS = "webhooks", _("Webhook subscriptions")
    SETTINGS = "settings", _("Shop settings: channels, policy, carriers, payments")


ALL_API_SCOPES = [scope.value for scope in ApiScope]


def _all_api_scopes() -> list[str]:
    return list(ALL_API_SCOPES)


class ApiKey(TenantOwnedModel):
    """A shop system's credential. Only a hash is stored; the key is shown once.

    ``prefix`` is the one look-up that crosses tenants (it *finds* the tenant), so it is
    globally unique; the tenancy test lists it as the single allowed exception.
    """

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # ApiScope values, chosen when the key is created (docs/api.md, "Scopes").
    scopes = models.JSONField(default=_all_api_scopes)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def scope_labels(self) -> list[str]:
        return [str(ApiScope(scope).label) for scope in self.scopes if scope in ALL_API_SCOPES]
