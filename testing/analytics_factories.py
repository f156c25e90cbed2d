"""Factories of the analytics app's derived rows (normally written by its roll-up)."""

from __future__ import annotations

import factory
from django.utils import timezone

from analytics.models import (
    DurationDay,
    FeedbackEntry,
    OrderDay,
    ReasonComment,
    ReturnDay,
    ReturnerDay,
    ReturnLineDay,
    SalesDay,
    TransitDay,
    VoucherDay,
)


class OrderDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderDay

    day = factory.LazyFunction(timezone.localdate)


class SalesDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesDay

    day = factory.LazyFunction(timezone.localdate)
    sku = factory.Sequence(lambda n: f"SKU-{n}")


class ReturnLineDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnLineDay

    day = factory.LazyFunction(timezone.localdate)
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    case_type = "return"
    reason = "too_small"
    resolution = "refund"


class ReturnDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnDay

    day = factory.LazyFunction(timezone.localdate)
    case_type = "return"
    resolution = "refund"


class DurationDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DurationDay

    day = factory.LazyFunction(timezone.localdate)
    case_type = "return"
    milestone = "approval"
    hours = 24


class VoucherDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoucherDay

    day = factory.LazyFunction(timezone.localdate)
    currency = "EUR"


class ReturnerDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnerDay

    day = factory.LazyFunction(timezone.localdate)
    case_type = "return"
    scope = "all"
    email = factory.Sequence(lambda n: f"returner{n}@example.com")
    returns = 1
    units = 1


class FeedbackEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackEntry

    day = factory.LazyFunction(timezone.localdate)
    case_type = "return"
    scope = "all"
    feedback_id = factory.Sequence(lambda n: n + 1)
    rating = 5
    updated_at = factory.LazyFunction(timezone.now)


class ReasonCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReasonComment

    day = factory.LazyFunction(timezone.localdate)
    case_type = "return"
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    reason = "too_small"
    line_id = factory.Sequence(lambda n: n + 1)
    requested_at = factory.LazyFunction(timezone.now)


class TransitDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransitDay

    day = factory.LazyFunction(timezone.localdate)
    case_type = "return"
    carrier = "sendcloud"
    hours = 48
    count = 1
