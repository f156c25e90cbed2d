"""The credits screens' tests use the credits app's fixtures: an order and vouchers."""

from credits.tests.conftest import make_voucher, order
