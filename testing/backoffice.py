"""Back-office forms for tests, posted the way the pages post them."""

from __future__ import annotations

from backoffice.forms import PolicyForm
from returns.selectors import return_policy_get
from returns_platform.tenancy import tenant_context


def policy_post(tenant, **changes) -> dict:
    """The policy form as the page posts it, with ``changes`` applied."""
    with tenant_context(tenant):
        initial = PolicyForm.initial_from(return_policy_get())
    data = {}
    for name, value in initial.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        else:
            data[name] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
