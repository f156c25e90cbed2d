"""Commands on a shop's return policy and reasons (the back office's settings pages)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.validators import slug_re
from django.db import transaction

from returns.models import MIN_WITHDRAWAL_DAYS, ReturnPolicy, ReturnReason
from returns.selectors import return_policy_get
from returns.statuses import Condition, Resolution, ReturnMethod
from returns_platform import events
from returns_platform.audit import Actor
from returns_platform.errors import DomainError
from returns_platform.money import COUNTRY_CODES, CURRENCY_CODES, quantize

WINDOW_TOO_SHORT = "The withdrawal window is at least {days} days."
NOT_A_COUNT = "{field} is a whole number of at least 0."
UNKNOWN_COUNTRY = "{field}: {value!r} is not an ISO 3166-1 alpha-2 country code."
UNKNOWN_METHOD = "methods: {value!r} is not a return method."
BAD_COST = "methods.{method}.{country}: {value!r} is not an amount of at least 0."
UNKNOWN_RESOLUTION = "resolutions: {value!r} is not a resolution."
NO_RESOLUTION = "Offer at least one resolution."
NO_METHOD = "Offer at least one return method."
METHOD_WITHOUT_COST = "An offered method needs a default cost or a cost per country."
BAD_PERCENT = "store_credit_bonus_percent is between 0 and 100."
BAD_AMOUNT = "{field} is an amount of at least 0."
UNKNOWN_FIELD = "{field} is not a policy setting."
BAD_DEDUCTION = "condition_deductions.{condition}: {value!r} is not a percentage from 0 to 100."
UNKNOWN_CONDITION = "condition_deductions: {value!r} is not a condition."
BAD_KEEP_ITEM = "keep_item_below.{currency}: {value!r} is not a currency with an amount >= 0."
BAD_REASONS = "reasons is a list of {code, labels, active, order} objects, labels by language code."
BAD_REASON_CODE = "{value!r} is not a reason code (letters, digits, - and _)."
BAD_REASON_LABELS = "labels maps the language codes en, nl, de, pl, sv to texts."


LANGUAGES = ("en", "nl", "de", "pl", "sv")
POLICY_FIELDS = (
    "window_days_return",
    "window_days_complaint",
    "window_days_missing_item",
    "allowed_countries",
    "blocked_countries",
    "non_returnable_skus",
    "non_returnable_categories",
    "methods",
    "resolutions",
    "store_credit_bonus_percent",
    "free_return_for_exchange",
    "auto_approve",
    "repeat_returner_threshold",
    "high_value_threshold",
)
# Inspection, keep-the-item, business customers, complaints and exchanges (their own form).
CASE_POLICY_FIELDS = (
    "condition_deductions",
    "keep_item_below",
    "keep_item_excluded_categories",
    "window_days_business",
    "rejection_legal_basis",
    "exchange_ships_first",
)


def _invalid(message: str, field: str) -> DomainError:
    return DomainError(message, code="invalid_policy", field=field)


def _count(changes: dict, field: str) -> None:
    value = changes[field]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _invalid(NOT_A_COUNT.format(field=field), field)


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, float):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def policy_validate(changes: dict) -> dict:
    """Check and normalise policy changes; raise ``invalid_policy`` naming the field."""
    clean = dict(changes)
    for field in clean:
        if field not in POLICY_FIELDS + CASE_POLICY_FIELDS:
            raise _invalid(UNKNOWN_FIELD.format(field=field), field)
    for field in (
        "window_days_return",
        "window_days_complaint",
        "window_days_missing_item",
        "repeat_returner_threshold",
        "window_days_business",
    ):
        if field in clean:
            _count(clean, field)
    if "window_days_return" in clean and clean["window_days_return"] < MIN_WITHDRAWAL_DAYS:
        raise _invalid(WINDOW_TOO_SHORT.format(days=MIN_WITHDRAWAL_DAYS), "window_days_return")
    for field in ("allowed_countries", "blocked_countries"):
        if field in clean:
            codes = [str(code).upper() for code in clean[field]]
            for code in codes:
                if code not in COUNTRY_CODES:
                    raise _invalid(UNKNOWN_COUNTRY.format(field=field, value=code), field)
            clean[field] = sorted(set(codes))
    for field in (
        "non_returnable_skus",
        "non_returnable_categories",
        "keep_item_excluded_categories",
    ):
        if field in clean:
            clean[field] = sorted({str(value).strip() for value in clean[field] if value})
    if "methods" in clean:
        methods = {}
        for method, costs in dict(clean["methods"]).items():
            if method not in ReturnMethod.values:
                raise _invalid(UNKNOWN_METHOD.format(value=method), "methods")
            methods[method] = {}
            for country, value in dict(costs).items():
                amount = _amount(value)
                if (country != "default" and country not in COUNTRY_CODES) or amount is None:
                    raise _invalid(
                        BAD_COST.format(method=method, country=country, value=value), "methods"
                    )
                methods[method][country] = str(amount.quantize(Decimal("0.01")))
            if not methods[method]:
                raise DomainError(
                    METHOD_WITHOUT_COST, code="method_without_cost", field=f"methods.{method}"
                )
        if not methods:
            raise DomainError(NO_METHOD, code="no_method", field="methods")
        clean["methods"] = methods
    if "resolutions" in clean:
        for value in clean["resolutions"]:
            if value not in Resolution.values:
                raise _invalid(UNKNOWN_RESOLUTION.format(value=value), "resolutions")
        if not clean["resolutions"]:
            raise _invalid(NO_RESOLUTION, "resolutions")
        clean["resolutions"] = [r for r in Resolution.values if r in clean["resolutions"]]
    if "store_credit_bonus_percent" in clean:
        percent = _amount(clean["store_credit_bonus_percent"])
        if percent is None or percent > 100:
            raise _invalid(BAD_PERCENT, "store_credit_bonus_percent")
        clean["store_credit_bonus_percent"] = percent
    if "high_value_threshold" in clean:
        amount = _amount(clean["high_value_threshold"])
        if amount is None:
            raise _invalid(BAD_AMOUNT.format(field="high_value_threshold"), "high_value_threshold")
        clean["high_value_threshold"] = amount
    for field in ("free_return_for_exchange", "auto_approve", "exchange_ships_first"):
        if field in clean:
            clean[field] = bool(clean[field])
    if "condition_deductions" in clean:
        clean["condition_deductions"] = _deductions(clean["condition_deductions"])
    if "keep_item_below" in clean:
        clean["keep_item_below"] = _thresholds(clean["keep_item_below"])
    if "rejection_legal_basis" in clean:
        clean["rejection_legal_basis"] = str(clean["rejection_legal_basis"] or "").strip()
    return clean


def _deductions(value: Any) -> dict:
    if not isinstance(value, dict):
        raise _invalid(UNKNOWN_CONDITION.format(value=value), "condition_deductions")
    deductions = {}
    for condition, percent in value.items():
        if condition not in Condition.values:
            raise _invalid(UNKNOWN_CONDITION.format(value=condition), "condition_deductions")
        amount = _amount(percent)
        if amount is None or amount > 100:
            raise _invalid(
                BAD_DEDUCTION.format(condition=condition, value=percent), "condition_deductions"
            )
        if amount:
            deductions[condition] = str(amount.quantize(Decimal("0.01")))
    return deductions


def _thresholds(value: Any) -> dict:
    if not isinstance(value, dict):
        raise _invalid(BAD_KEEP_ITEM.format(currency="?", value=value), "keep_item_below")
    thresholds = {}
    for currency, limit in value.items():
        amount = _amount(limit)
        code = str(currency).upper()
        if amount is None or code not in CURRENCY_CODES:
            raise _invalid(BAD_KEEP_ITEM.format(currency=currency, value=limit), "keep_item_below")
        thresholds[code] = str(quantize(amount, code))
    return thresholds


@transaction.atomic
def return_policy_update(*, changes: dict, actor: Actor) -> ReturnPolicy:
    """Change the shop's policy. Existing requests keep the snapshot they were judged by."""
    clean = policy_validate(changes)
    policy = ReturnPolicy.objects.select_for_update().get(pk=return_policy_get().pk)
    before = policy.snapshot()
    for field, value in clean.items():
        setattr(policy, field, value)
    policy.save()
    after = policy.snapshot()
    changed = {key: after[key] for key in after if after[key] != before[key]}
    if changed:
        events.record(
            "return_policy.changed",
            actor=actor,
            subject=policy,
            data={"changed": changed},
        )
    return policy


@transaction.atomic
def return_reason_save(
    *, code: str, labels: dict[str, str], actor: Actor, active: bool = True, order: int = 0
) -> ReturnReason:
    """Create or change a reason by code. Reasons are never deleted (old lines use them);
    ``active=False`` takes one out of the portal."""
    return_policy_get()
    if not labels.get("en"):
        raise DomainError("A reason needs an English label.", code="invalid_reason", field="en")
    values = {f"label_{language}": labels.get(language, "") for language in LANGUAGES}
    reason, created = ReturnReason.objects.update_or_create(
        code=code, defaults={**values, "active": active, "order": order}
    )
    events.record(
        "return_reason.created" if created else "return_reason.changed",
        actor=actor,
        subject=reason,
        data={"labels": values, "active": active, "order": order},
    )
    return reason


def policy_settings(policy: ReturnPolicy) -> dict:
    """The policy's settings under the names ``return_policy_update`` takes (amounts as
    strings): what GET /api/v1/policy/ shows and PATCH changes."""
    settings = {}
    for field in POLICY_FIELDS + CASE_POLICY_FIELDS:
        value = getattr(policy, field)
        settings[field] = str(value) if isinstance(value, Decimal) else value
    return settings


def _reason_changes(reasons: Any) -> list[dict]:
    if not isinstance(reasons, list):
        raise _invalid(BAD_REASONS, "reasons")
    clean = []
    for index, reason in enumerate(reasons):
        field = f"reasons[{index}]"
        if not isinstance(reason, dict) or set(reason) - {"code", "labels", "active", "order"}:
            raise _invalid(BAD_REASONS, field)
        code, labels = reason.get("code"), reason.get("labels")
        if not isinstance(code, str) or not slug_re.fullmatch(code) or len(code) > 50:
            raise _invalid(BAD_REASON_CODE.format(value=code), f"{field}.code")
        if not isinstance(labels, dict) or set(labels) - set(LANGUAGES):
            raise _invalid(BAD_REASON_LABELS, f"{field}.labels")
        order = reason.get("order", 0)
        if not isinstance(order, int) or isinstance(order, bool) or order < 0:
            raise _invalid(NOT_A_COUNT.format(field=f"{field}.order"), f"{field}.order")
        clean.append(
            {
                "code": code,
                "labels": {key: str(value)[:200] for key, value in labels.items()},
                "active": bool(reason.get("active", True)),
                "order": order,
            }
        )
    return clean


@transaction.atomic
def return_policy_configure(*, changes: dict, actor: Actor) -> ReturnPolicy:
    """Change policy settings and reasons (by code) together, all or nothing."""
    changes = dict(changes)
    reasons = _reason_changes(changes.pop("reasons")) if "reasons" in changes else []
    policy = return_policy_update(changes=changes, actor=actor)
    for reason in reasons:
        return_reason_save(**reason, actor=actor)
    return policy
