"""The parcel carriers the shops ship with: the one list of their display names."""

from __future__ import annotations

CARRIER_NAMES = {
    "postnl": "PostNL",
    "dhl": "DHL",
    "dpd": "DPD",
    "ups": "UPS",
    "gls": "GLS",
    "bpost": "bpost",
    "inpost": "InPost",
    "postnord": "PostNord",
}


def carrier_display_name(code: str) -> str:
    """The carrier's own spelling of its name; an unknown code is shown as given."""
    return CARRIER_NAMES.get((code or "").strip().lower(), code or "")
