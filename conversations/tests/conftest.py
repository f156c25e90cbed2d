"""Fixtures of the conversations tests: an order delivered two days ago."""

from __future__ import annotations

import pytest

from testing.orders import create_order


@pytest.fixture
def order(in_tenant, recent_dates):
    return create_order("1001", **recent_dates)
