"""The credits screens' tests use the credits app's fixtures: an order and vouchers."""

from testing.credits import make_voucher, order  # noqa: F401 (fixtures)
