"""Seed the demo shop (and a second, small one so isolation is visible). Idempotent."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from analytics.aggregation import analytics_rebuild
from demo import credits as credits_demo
from demo import returns as returns_demo
from orders.services import orders_bulk_upsert
from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.models import ApiKey, ChannelKind, Role, SalesChannel, Tenant
from tenants.services import hash_api_key, membership_set, tenant_create, user_get_or_create

DEMO_PASSWORD = "demo"  # demo data only
DEMO_API_KEY = "rp_demo00000000_demo-key-for-the-embedded-demo-shop-only"
SECOND_API_KEY = "rp_nordic000000_demo-key-for-the-second-demo-shop-only"

ADDRESSES = {
    "NL": [
        ("Kerkstraat 1", "1012 AB", "Amsterdam"),
        ("Oudegracht 120", "3511 AX", "Utrecht"),
        ("Grote Markt 5", "9711 LV", "Groningen"),
        ("Witte de Withstraat 40", "3012 BP", "Rotterdam"),
    ],
    "BE": [
        ("Meir 50", "2000", "Antwerpen"),
        ("Rue Neuve 12", "1000", "Bruxelles"),
        ("Veldstraat 8", "9000", "Gent"),
    ],
    "DE": [
        ("Hauptstraße 10", "10115", "Berlin"),
        ("Königsallee 20", "40212", "Düsseldorf"),
        ("Marienplatz 3", "80331", "München"),
    ],
    "PL": [("ul. Marszałkowska 100", "00-026", "Warszawa"), ("Rynek Główny 9", "31-042", "Kraków")],
    "SE": [("Drottninggatan 50", "111 21", "Stockholm"), ("Avenyn 14", "411 36", "Göteborg")],
}
NAMES = {
    "NL": ["Jan Jansen", "Sanne de Vries", "Pieter Bakker", "Emma Visser", "Daan Smit"],
    "BE": ["Lotte Peeters", "Arne Maes", "Camille Dubois"],
    "DE": ["Lukas Müller", "Anna Schmidt", "Jonas Weber"],
    "PL": ["Zofia Kowalska", "Jakub Nowak"],
    "SE": ["Elsa Andersson", "Oskar Johansson"],
}
LANGUAGE = {"NL": "nl", "BE": "nl", "DE": "de", "PL": "pl", "SE": "sv"}
PRODUCTS = [
    ("TSHIRT-M", "Organic T-shirt, M", "shirts", "19.95"),
    ("TSHIRT-L", "Organic T-shirt, L", "shirts", "19.95"),
    ("JEANS-32", "Slim jeans 32/32", "trousers", "69.95"),
    ("HOODIE-M", "Merino hoodie, M", "sweaters", "89.00"),
    ("SNEAKER-42", "Canvas sneaker 42", "shoes", "74.50"),
    ("SOCKS-3P", "Socks, 3 pairs", "underwear", "12.95"),
    ("CAP-ONE", "Wool cap", "accessories", "24.00"),
    ("JACKET-L", "Rain jacket, L", "outerwear", "149.00"),
    ("GIFT-25", "Gift card 25", "gift_cards", "25.00"),
]
CARRIERS = {"NL": "postnl", "BE": "bpost", "DE": "dhl", "PL": "inpost", "SE": "postnord"}


PUBLIC_REFUSAL = (
    "DEBUG is off: seed_demo creates the demo shop with publicly known API keys and "
    "passwords. Run it on a development machine, or pass --i-know-this-is-public."
)


class Command(BaseCommand):
    help = "Create or refresh the demo shop: staff, channels, an API key and ~200 orders."

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=200)
        parser.add_argument(
            "--i-know-this-is-public",
            action="store_true",
            dest="public",
            help="Seed even with DEBUG off: the demo's keys and passwords are published.",
        )

    def handle(self, *args, **options):
        if settings.PUBLIC_DEPLOYMENT and not options["public"]:
            # The demo's API key and passwords are printed in the README: on a reachable
            # installation they would open the demo shop to anybody.
            raise CommandError(PUBLIC_REFUSAL)
        demo = self._tenant(
            slug="demo",
            name="Demo Fashion",
            admin="admin@demo.example",
            fields={
                "default_language": "nl",
                "country": "NL",
                "brand_colour": "#1f4b99",
                "return_address_name": "Demo Fashion Returns",
                "return_address_street": "Returnweg 7",
                "return_address_postcode": "3542 AD",
                "return_address_city": "Utrecht",
                "return_address_country": "NL",
                "notification_email": "service@demo.example",
                "policy_url": "https://demo.example/returns-policy",
                "support_url": "https://demo.example/customer-service",
            },
        )
        with tenant_context(demo):
            agent = self._staff("agent@demo.example", Role.AGENT)
            self._staff("warehouse@demo.example", Role.WAREHOUSE)
            self._channel("webshop", "Web shop", ChannelKind.WEBSHOP, agent)
            self._channel("marketplace", "Marketplace", ChannelKind.MARKETPLACE, agent)
            self._api_key(DEMO_API_KEY, "Demo web shop")
            self._orders(options["orders"], seed=42, channels=["webshop", "marketplace"], prefix="")
            self._app_demo_data(demo)
            analytics_rebuild()  # the analytics page's daily rows, whatever made the data
        nordic = self._tenant(
            slug="nordic",
            name="Nordic Outdoor",
            admin="admin@nordic.example",
            fields={
                "default_language": "sv",
                "country": "SE",
                "currency": "SEK",
                "brand_colour": "#2d6a4f",
            },
        )
        with tenant_context(nordic):
            self._channel("webshop", "Webbutik", ChannelKind.WEBSHOP, None)
            self._api_key(SECOND_API_KEY, "Nordic web shop")
            self._orders(12, seed=7, channels=["webshop"], prefix="N", currency="SEK")
            analytics_rebuild()
        self._summary()

    def _tenant(self, *, slug, name, admin, fields) -> Tenant:
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            tenant = tenant_create(
                name=name, slug=slug, admin_email=admin, admin_password=DEMO_PASSWORD, **fields
            )
        user = user_get_or_create(email=admin)
        user.set_password(DEMO_PASSWORD)
        user.save()
        return tenant

    def _staff(self, email: str, role: str):
        user = user_get_or_create(email=email, password=DEMO_PASSWORD)
        user.set_password(DEMO_PASSWORD)
        user.save()
        membership_set(user=user, role=role, actor=Actor.system("seed_demo"))
        return user

    def _channel(self, code, name, kind, consultant):
        SalesChannel.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "consultant": consultant}
        )

    def _api_key(self, plaintext: str, name: str) -> None:
        prefix = plaintext.split("_")[1]
        if not ApiKey.objects.filter(prefix=prefix).exists():
            ApiKey.objects.create(name=name, prefix=prefix, key_hash=hash_api_key(plaintext))

    def _orders(self, count, *, seed, channels, prefix, currency="EUR"):
        rng = random.Random(seed)
        today = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
        payloads = []
        for index in range(count):
            country = rng.choice(["NL", "NL", "NL", "BE", "DE", "DE", "PL", "SE"])
            street, postcode, city = rng.choice(ADDRESSES[country])
            name = rng.choice(NAMES[country])
            # Most orders recent (inside the window), some long ago (outside it).
            age = rng.choice([2, 3, 5, 6, 8, 9, 10, 12, 20, 45, 90, 400])
            placed = today - timedelta(days=age, hours=rng.randint(0, 20))
            shipped = placed + timedelta(days=1) if age > 1 else None
            delivered = placed + timedelta(days=2) if age > 3 else None
            lines = []
            for sku, product, category, price in rng.sample(PRODUCTS, rng.randint(1, 4)):
                unit_price = Decimal(price) * (Decimal("10") if currency == "SEK" else 1)
                lines.append(
                    {
                        "sku": sku,
                        "name": product,
                        "category": category,
                        "quantity": rng.randint(1, 3),
                        "unit_price": unit_price,
                        "tax_rate": Decimal("21.00"),
                        "returnable": category != "gift_cards",
                        "image_url": "",
                    }
                )
            number = f"{prefix}{1001 + index}"
            local = name.lower().replace(" ", ".")
            email = f"{local}{index % 7}@example.{country.lower()}"
            payloads.append(
                {
                    "number": number,
                    "channel": rng.choice(channels),
                    "email": email,
                    "language": LANGUAGE[country],
                    "currency": currency,
                    "customer": {"name": name, "phone": ""},
                    "shipping_name": name,
                    "shipping_street": street,
                    "shipping_postcode": postcode,
                    "shipping_city": city,
                    "shipping_country": country,
                    "placed_at": placed,
                    "shipped_at": shipped,
                    "delivered_at": delivered,
                    "carrier": CARRIERS[country] if shipped else "",
                    "tracking_number": f"3S{seed}{index:06d}" if shipped else "",
                    "invoice_number": f"INV-{number}",
                    "delivery_cost": Decimal("4.95"),
                    "lines": lines,
                }
            )
        actor = Actor.system("seed_demo")
        batches = [payloads[i : i + 50] for i in range(0, len(payloads), 50)]
        for batch in tqdm(batches, desc="orders", unit="batch", disable=None):
            with transaction.atomic():
                orders_bulk_upsert(orders=batch, actor=actor)

    def _app_demo_data(self, tenant: Tenant) -> None:
        """Returns in every status, then the credits built on some of them."""
        returns_demo.seed(tenant=tenant, stdout=self.stdout)
        credits_demo.seed(tenant=tenant, stdout=self.stdout)

    def _summary(self) -> None:
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write("  Portal:      http://127.0.0.1:8000/r/demo/")
        self.stdout.write("  Back office: http://127.0.0.1:8000/backoffice/  (password: demo)")
        self.stdout.write(
            "               admin@demo.example, agent@demo.example, warehouse@demo.example"
        )
        self.stdout.write("  Second shop: admin@nordic.example (password: demo)")
        self.stdout.write("  API docs:    http://127.0.0.1:8000/api/docs/")
        self.stdout.write(f"  API key:     {DEMO_API_KEY}")
