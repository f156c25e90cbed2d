"""Defaults of a new shop: the return policy and the standard return reasons."""

from __future__ import annotations

from typing import Any

from returns.models import ReturnPolicy, ReturnReason

# code: (en, nl, de, pl, sv)
DEFAULT_REASONS: list[tuple[str, tuple[str, str, str, str, str]]] = [
    ("too_small", ("Too small", "Te klein", "Zu klein", "Za mały", "För liten")),
    ("too_large", ("Too large", "Te groot", "Zu groß", "Za duży", "För stor")),
    (
        "not_as_described",
        (
            "Not as described",
            "Niet zoals beschreven",
            "Nicht wie beschrieben",
            "Niezgodny z opisem",
            "Inte som beskrivet",
        ),
    ),
    (
        "damaged_in_transit",
        (
            "Damaged in transit",
            "Beschadigd bij levering",
            "Beim Versand beschädigt",
            "Uszkodzony w transporcie",
            "Skadad under transport",
        ),
    ),
    ("defective", ("Defective", "Defect", "Defekt", "Wadliwy", "Defekt")),
    (
        "wrong_item",
        ("Wrong item", "Verkeerd artikel", "Falscher Artikel", "Zły produkt", "Fel artikel"),
    ),
    (
        "changed_mind",
        (
            "Changed my mind",
            "Bedacht",
            "Meinung geändert",
            "Zmiana decyzji",
            "Ångrat köpet",
        ),
    ),
    (
        "arrived_too_late",
        (
            "Arrived too late",
            "Te laat geleverd",
            "Zu spät geliefert",
            "Dotarł za późno",
            "Kom för sent",
        ),
    ),
    ("other", ("Other", "Anders", "Sonstiges", "Inny", "Annat")),
]


def return_defaults_create(tenant: Any = None) -> None:
    """Create the policy and default reasons in the current tenant (idempotent)."""
    ReturnPolicy.objects.get_or_create()
    existing = set(ReturnReason.objects.values_list("code", flat=True))
    ReturnReason.objects.bulk_create(
        [
            ReturnReason(
                code=code,
                label_en=en,
                label_nl=nl,
                label_de=de,
                label_pl=pl,
                label_sv=sv,
                order=(position + 1) * 10,
            )
            for position, (code, (en, nl, de, pl, sv)) in enumerate(DEFAULT_REASONS)
            if code not in existing
        ]
    )
