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


def _invalid(variant: str, at: str, **params: Any) -> DomainError:
    return DomainError(code=f"invalid_policy.{variant}", field=at, params=params)


def _count(changes: dict, field: str) -> None:
    value = changes[field]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _invalid("not_a_count", field, field=field)


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
            raise _invalid("unknown_field", field, field=field)
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
        raise _invalid("window_too_short", "window_days_return", days=MIN_WITHDRAWAL_DAYS)
    for field in ("allowed_countries", "blocked_countries"):
        if field in clean:
            codes = [str(code).upper() for code in clean[field]]
            for code in codes:
                if code not in COUNTRY_CODES:
                    raise _invalid("unknown_country", field, field=field, value=code)
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
                raise _invalid("unknown_method", "methods", value=method)
            methods[method] = {}
            for country, value in dict(costs).items():
                amount = _amount(value)
                if (country != "default" and country not in COUNTRY_CODES) or amount is None:
                    raise _invalid(
                        "bad_cost", "methods", method=method, country=country, value=value
                    )
                methods[method][country] = str(amount.quantize(Decimal("0.01")))
            if not methods[method]:
                raise DomainError(code="method_without_cost", field=f"methods.{method}")
        if not methods:
            raise DomainError(code="no_method", field="methods")
        clean["methods"] = methods
    if "resolutions" in clean:
        for value in clean["resolutions"]:
            if value not in Resolution.values:
                raise _invalid("unknown_resolution", "resolutions", value=value)
        if not clean["resolutions"]:
            raise _invalid("no_resolution", "resolutions")
        clean["resolutions"] = [r for r in Resolution.values if r in clean["resolutions"]]
    if "store_credit_bonus_percent" in clean:
        percent = _amount(clean["store_credit_bonus_percent"])
        if percent is None or percent > 100:
            raise _invalid("bad_percent", "store_credit_bonus_percent")
        clean["store_credit_bonus_percent"] = percent
    if "high_value_threshold" in clean:
        amount = _amount(clean["high_value_threshold"])
        if amount is None:
            raise _invalid("bad_amount", "high_value_threshold", field="high_value_threshold")
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
        raise _invalid("unknown_condition", "condition_deductions", value=value)
    deductions = {}
    for condition, percent in value.items():
        if condition not in Condition.values:
            raise _invalid("unknown_condition", "condition_deductions", value=condition)
        amount = _amount(percent)
        if amount is None or amount > 100:
            raise _invalid(
                "bad_deduction", "condition_deductions", condition=condition, value=percent
            )
        if amount:
            deductions[condition] = str(amount.quantize(Decimal("0.01")))
    return deductions


def _thresholds(value: Any) -> dict:
    if not isinstance(value, dict):
        raise _invalid("bad_keep_item", "keep_item_below", currency="?", value=value)
    thresholds = {}
    for currency, limit in value.items():
        amount = _amount(limit)
        code = str(currency).upper()
        if amount is None or code not in CURRENCY_CODES:
            raise _invalid("bad_keep_item", "keep_item_below", currency=currency, value=limit)
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
        raise DomainError(code="invalid_reason", field="en")
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
        raise _invalid("bad_reasons", "reasons")
    clean = []
    for index, reason in enumerate(reasons):
        field = f"reasons[{index}]"
        if not isinstance(reason, dict) or set(reason) - {"code", "labels", "active", "order"}:
            raise _invalid("bad_reasons", field)
        code, labels = reason.get("code"), reason.get("labels")
        if not isinstance(code, str) or not slug_re.fullmatch(code) or len(code) > 50:
            raise _invalid("bad_reason_code", f"{field}.code", value=code)
        if not isinstance(labels, dict) or set(labels) - set(LANGUAGES):
            raise _invalid("bad_reason_labels", f"{field}.labels")
        order = reason.get("order", 0)
        if not isinstance(order, int) or isinstance(order, bool) or order < 0:
            raise _invalid("not_a_count", f"{field}.order", field=f"{field}.order")
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
