"""Carrier connectors by carrier code (see docs/carriers.md for what each one covers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from carriers.connectors.base import CarrierError, CarrierUnavailable, NotSupported

if TYPE_CHECKING:
    from carriers.connectors.common import Connector

__all__ = ["CarrierError", "CarrierUnavailable", "NotSupported", "connector_for"]


def connector_for(carrier: str, credentials: dict) -> Connector:
    from carriers.connectors.dhl_parcel_de import DhlParcelDeConnector
    from carriers.connectors.dpd import DpdConnector
    from carriers.connectors.gls import GlsConnector
    from carriers.connectors.sendcloud import SendcloudConnector

    classes = {
        "sendcloud": SendcloudConnector,
        "dhl_parcel_de": DhlParcelDeConnector,
        "dpd": DpdConnector,
        "gls": GlsConnector,
    }
    if carrier not in classes:
        raise NotSupported(f"No connector for carrier {carrier!r}.")
    return classes[carrier](credentials)
