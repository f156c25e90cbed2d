"""The tenant's credit settings (one row per tenant, created on first use)."""

from decimal import Decimal

from credits.models import CreditSettings

CREDIT_SETTING_FIELDS = (
    "four_eyes_booking",
    "four_eyes_above",
    "voucher_bonus_percent",
    "voucher_validity_days",
)


def credit_settings_get() -> CreditSettings:
    settings = CreditSettings.objects.first()
    if settings is None:
        settings, _ = CreditSettings.objects.get_or_create()
    return settings


def credit_settings_values(settings: CreditSettings) -> dict:
    return {name: getattr(settings, name) for name in CREDIT_SETTING_FIELDS}


def four_eyes_required(settings: CreditSettings, *, total: Decimal, currency: str) -> bool:
    """Whether booking a credit note of ``total`` needs someone other than its author:
    four-eyes booking is on and the total is above the currency's threshold (a currency
    without a threshold always needs it)."""
    if not settings.four_eyes_booking:
        return False
    threshold = (settings.four_eyes_above or {}).get(currency)
    return threshold in (None, "") or total > Decimal(str(threshold))
