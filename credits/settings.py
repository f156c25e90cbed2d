"""The tenant's credit settings (one row per tenant, created on first use)."""

from credits.models import CreditSettings


def credit_settings_get() -> CreditSettings:
    settings = CreditSettings.objects.first()
    if settings is None:
        settings, _ = CreditSettings.objects.get_or_create()
    return settings
