"""The tenant's credit settings (one row per tenant, created on first use)."""

from credits.models import CreditSettings

CREDIT_SETTING_FIELDS = ("four_eyes_booking", "voucher_bonus_percent", "voucher_validity_days")


def credit_settings_get() -> CreditSettings:
    settings = CreditSettings.objects.first()
    if settings is None:
        settings, _ = CreditSettings.objects.get_or_create()
    return settings


def credit_settings_values(settings: CreditSettings) -> dict:
    return {name: getattr(settings, name) for name in CREDIT_SETTING_FIELDS}
