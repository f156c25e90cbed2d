from returns.tests.conftest import (  # noqa: F401  (fixtures shared with the returns tests)
    _fast_password_hashing,
    order,
    published,
    recent_dates,
)
