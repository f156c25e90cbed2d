"""factory-boy factories, one per model of the project.

Tenant-owned rows take their tenant from the scope, as the application's own code does:
build them inside ``tenant_context(tenant)`` (the ``in_tenant`` fixture). A factory
creates the parents it needs (``OrderLineFactory()`` makes an order too); pass a parent
to reuse it (``OrderLineFactory(order=order, position=2)``).

Factories write rows directly and skip the services' rules; a test of a rule files its
data through the service (``testing.orders.create_order``, ``testing.returns.file_return``).
``TenantFactory`` and ``AuditEventFactory`` are the exceptions: a shop without its
audit chain and defaults, or an audit row outside the hash chain, is not a state the
application can be in, so they go through ``tenant_create`` and ``audit_record``.
``testing/tests/test_factories.py`` checks that every model has a factory that saves.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from analytics.models import AnalyticsSettings
from carriers.models import CarrierAccount, ReturnShipment, ShipmentEvent
from conversations.models import Message, MessageAttachment
from credits.models import (
    CreditNote,
    CreditNoteLine,
    CreditSettings,
    PaymentProviderAccount,
    Refund,
    ReturnResolution,
    Voucher,
    VoucherEntry,
)
from notifications.models import (
    NotificationTemplate,
    OutboxMessage,
    WebhookDelivery,
    WebhookSubscription,
)
from orders.models import Customer, Order, OrderEvent, OrderLine
from returns.models import (
    Attachment,
    Feedback,
    FeedbackRequest,
    ReturnDecision,
    ReturnLine,
    ReturnPolicy,
    ReturnReason,
    ReturnRequest,
)
from returns_platform.audit import Actor, audit_record
from returns_platform.models import AuditChain, AuditEvent, DocumentCounter, IdempotencyRecord
from returns_platform.tenancy import require_current_tenant
from tenants.models import ApiKey, Membership, Role, SalesChannel, Tenant
from tenants.services import tenant_create
from testing.analytics_factories import (  # noqa: F401 - every model's factory is here
    DurationDayFactory,
    FeedbackEntryFactory,
    OrderDayFactory,
    ReasonCommentFactory,
    ReturnDayFactory,
    ReturnerDayFactory,
    ReturnLineDayFactory,
    SalesDayFactory,
    TransitDayFactory,
    VoucherDayFactory,
)

SYSTEM = Actor.system("test")
PDF = b"%PDF-1.4\n% test document\n"


class TenantFactory(factory.django.DjangoModelFactory):
    """A shop made by ``tenant_create``: audit chain, return reasons, policy, first admin."""

    class Meta:
        model = Tenant

    name = factory.Sequence(lambda n: f"Shop {n}")
    slug = factory.Sequence(lambda n: f"shop-{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return tenant_create(
            name=kwargs.pop("name"),
            slug=kwargs.pop("slug"),
            admin_email=kwargs.pop("admin_email", None),
            admin_password=kwargs.pop("admin_password", None),
            **kwargs,
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}@shop.example")
    email = factory.SelfAttribute("username")
    password = factory.django.Password("pw-for-tests")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.AGENT


class SalesChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesChannel

    code = factory.Sequence(lambda n: f"channel-{n}")
    name = factory.Sequence(lambda n: f"Channel {n}")
    kind = "webshop"


class ApiKeyFactory(factory.django.DjangoModelFactory):
    """A key row; its secret is unknown (use ``api_key_create`` to call the API with it)."""

    class Meta:
        model = ApiKey

    name = "test key"
    prefix = factory.Sequence(lambda n: f"tk{n:08d}")
    key_hash = factory.Sequence(lambda n: f"{n:064x}")


class AuditChainFactory(factory.django.DjangoModelFactory):
    """The shop's one chain (``tenant_create`` made it already; this returns that one)."""

    class Meta:
        model = AuditChain
        django_get_or_create = ("tenant",)

    tenant = factory.LazyFunction(require_current_tenant)


class AuditEventFactory(factory.django.DjangoModelFactory):
    """An event appended to the shop's hash chain by ``audit_record``."""

    class Meta:
        model = AuditEvent

    action = "test.recorded"
    subject_type = "test"
    subject_id = factory.Sequence(str)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return audit_record(actor=kwargs.pop("actor", SYSTEM), **kwargs)


class DocumentCounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentCounter

    series = factory.Sequence(lambda n: f"series-{n}")


class IdempotencyRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdempotencyRecord

    key = factory.Sequence(lambda n: f"key-{n}")
    method = "POST"
    path = "/api/v1/returns/"
    request_hash = "0" * 64
    status_code = 201
    response_body = factory.LazyFunction(dict)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    email = factory.Sequence(lambda n: f"customer{n}@example.nl")
    name = "Jan Jansen"


class OrderFactory(factory.django.DjangoModelFactory):
    """An order delivered two days ago (inside every return window), without lines."""

    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"F{n:05d}")
    email = "jan@example.nl"
    language = "nl"
    currency = "EUR"
    shipping_name = "Jan Jansen"
    shipping_street = "Kerkstraat 1"
    shipping_postcode = "1012 AB"
    shipping_city = "Amsterdam"
    shipping_country = "NL"
    postcode_normalized = "1012AB"
    placed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=4))
    shipped_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    delivered_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
    carrier = "postnl"


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    position = factory.Sequence(lambda n: n + 1)
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    name = factory.Sequence(lambda n: f"Item {n}")
    quantity = 1
    unit_price = Decimal("19.95")
    tax_rate = Decimal("21.00")


class OrderEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderEvent

    order = factory.SubFactory(OrderFactory)
    type = "shipped"
    occurred_at = factory.LazyFunction(timezone.now)


class ReturnPolicyFactory(factory.django.DjangoModelFactory):
    """The shop's one policy (``tenant_create`` made it already; this returns that one)."""

    class Meta:
        model = ReturnPolicy
        django_get_or_create = ("tenant",)

    tenant = factory.LazyFunction(require_current_tenant)


class ReturnReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnReason
        django_get_or_create = ("code",)

    code = "too_small"
    label_en = "Too small"


class ReturnRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnRequest

    rma = factory.Sequence(lambda n: f"F-{n:06d}")
    order = factory.SubFactory(OrderFactory)
    case_type = "return"
    resolution = "refund"
    method = "drop_off"
    currency = factory.SelfAttribute("order.currency")
    email = factory.SelfAttribute("order.email")
    language = factory.SelfAttribute("order.language")


class ReturnLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnLine

    request = factory.SubFactory(ReturnRequestFactory)
    order_line = factory.SubFactory(
        OrderLineFactory, order=factory.SelfAttribute("..request.order")
    )
    quantity = 1
    reason = factory.SubFactory(ReturnReasonFactory)
    sku = factory.SelfAttribute("order_line.sku")
    name = factory.SelfAttribute("order_line.name")
    unit_price = factory.SelfAttribute("order_line.unit_price")
    tax_rate = factory.SelfAttribute("order_line.tax_rate")


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    request = factory.SubFactory(ReturnRequestFactory)
    file = factory.django.FileField(filename="photo.jpg", data=b"\xff\xd8\xff\xe0 test")
    original_name = "photo.jpg"
    content_type = "image/jpeg"
    size = 10


class ReturnDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnDecision

    request = factory.SubFactory(ReturnRequestFactory, case_type="complaint")
    decision = "repair"
    reason = "The zip can be replaced."
    decided_by = "system:test"


class CreditSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditSettings
        django_get_or_create = ("tenant",)

    tenant = factory.LazyFunction(require_current_tenant)


class PaymentProviderAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentProviderAccount
        django_get_or_create = ("provider",)

    provider = "stripe"
    api_key = "sk_test_123"
    is_default = True


class VoucherFactory(factory.django.DjangoModelFactory):
    """A voucher whose balance is its issue entry, as the database requires (a trigger
    compares the balance with the sum of the ledger on every write)."""

    class Meta:
        model = Voucher

    code = factory.Sequence(lambda n: f"TESTVOUCHER{n:05d}")
    currency = "EUR"
    amount = Decimal("25.00")
    balance = Decimal("0")
    valid_from = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def ledger(voucher, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        VoucherEntry.objects.create(
            voucher=voucher,
            kind="issue",
            amount=voucher.amount + voucher.bonus,
            balance_after=voucher.amount + voucher.bonus,
            actor="system:test",
        )
        voucher.balance = voucher.amount + voucher.bonus
        voucher.save(update_fields=["balance"])


class VoucherEntryFactory(factory.django.DjangoModelFactory):
    """A redemption of 5.00 from a new voucher; the voucher's balance follows."""

    class Meta:
        model = VoucherEntry

    voucher = factory.SubFactory(VoucherFactory)
    kind = "redeem"
    amount = Decimal("-5.00")
    balance_after = factory.LazyAttribute(lambda entry: entry.voucher.balance + entry.amount)
    actor = "system:test"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        entry = super()._create(model_class, *args, **kwargs)
        entry.voucher.balance = entry.balance_after
        entry.voucher.save(update_fields=["balance"])
        return entry


class CreditNoteFactory(factory.django.DjangoModelFactory):
    """A draft credit note (no number, no document)."""

    class Meta:
        model = CreditNote

    order = factory.SubFactory(OrderFactory)
    reason = "goodwill"
    currency = factory.SelfAttribute("order.currency")
    payout_method = "original_payment"
    created_by_actor = "system:test"


class CreditNoteLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditNoteLine

    credit_note = factory.SubFactory(CreditNoteFactory)
    position = factory.Sequence(lambda n: n + 1)
    description = "Goodwill"
    unit_amount = Decimal("10.00")
    total = Decimal("10.00")


class RefundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Refund

    order = factory.SubFactory(OrderFactory)
    amount = Decimal("19.95")
    currency = factory.SelfAttribute("order.currency")
    provider = "manual"
    idempotency_key = factory.Sequence(lambda n: f"refund-{n}")


class ReturnResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnResolution

    return_request = factory.SubFactory(ReturnRequestFactory)
    rma = factory.SelfAttribute("return_request.rma")
    resolution = factory.SelfAttribute("return_request.resolution")
    outcome = "refund"
    currency = factory.SelfAttribute("return_request.currency")
    resolved_by = "system:test"


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """A queued mail."""

    class Meta:
        model = OutboxMessage

    kind = "email"
    event = "return.requested"
    event_id = factory.Sequence(str)
    recipient = "jan@example.nl"
    language = "en"
    subject = "We have received your return request"
    body_text = "Hello there,\n"
    next_attempt_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyFunction(timezone.now)


class NotificationTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationTemplate

    event = "return.received"
    language = "en"
    subject = "Parcel {{ rma }} arrived"
    body = "Hello {{ customer_name }}, we have your parcel."


class WebhookSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookSubscription

    url = "https://hooks.example/returns"
    secret = factory.Sequence(lambda n: f"whsec_{n:032d}")
    events = factory.LazyFunction(lambda: ["*"])


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    subscription = factory.SubFactory(WebhookSubscriptionFactory)
    message = factory.SubFactory(
        OutboxMessageFactory,
        kind="webhook",
        recipient=factory.SelfAttribute("..subscription.url"),
        subscription=factory.SelfAttribute("..subscription"),
    )
    attempt = 1
    created_at = factory.LazyFunction(timezone.now)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    return_request = factory.SubFactory(ReturnRequestFactory)
    author_kind = "consumer"
    body = "Could you send a new one?"


class MessageAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageAttachment

    message = factory.SubFactory(MessageFactory)
    file = factory.django.FileField(filename="receipt.pdf", data=PDF)
    content_type = "application/pdf"
    size = len(PDF)


class CarrierAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarrierAccount
        django_get_or_create = ("carrier",)

    carrier = "sendcloud"
    methods = factory.LazyFunction(lambda: ["drop_off"])
    countries = factory.LazyFunction(lambda: ["NL"])


class ReturnShipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnShipment

    return_request = factory.SubFactory(ReturnRequestFactory)
    account = factory.SubFactory(CarrierAccountFactory)


class ShipmentEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShipmentEvent

    shipment = factory.SubFactory(ReturnShipmentFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    description = "Parcel handed in"


class FeedbackRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackRequest

    request = factory.SubFactory(ReturnRequestFactory)
    sent_at = factory.LazyFunction(timezone.now)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    request = factory.SubFactory(ReturnRequestFactory)
    rating = 5
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)


class AnalyticsSettingsFactory(factory.django.DjangoModelFactory):
    """The shop's one analytics settings row."""

    class Meta:
        model = AnalyticsSettings
        django_get_or_create = ("tenant",)

    tenant = factory.LazyFunction(require_current_tenant)
