"""Fixtures of the returns tests: an order delivered two days ago, and the policy."""

from __future__ import annotations

import pytest

from returns.selectors import return_policy_get
from testing.orders import create_order


@pytest.fixture
def order(in_tenant, recent_dates):
    return create_order("1001", **recent_dates)


@pytest.fixture
def policy(in_tenant):
    return return_policy_get()
