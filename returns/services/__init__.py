"""Commands on returns: create, receive, waive the return cost, withdraw, reassign.

Split by moment in a request's life (``create``, ``receive``, ``staff``); import from the
package, ``from returns.services import return_receive``, not from its modules.
"""

from returns.services.common import attachment_store, request_preview, return_is_free
from returns.services.create import return_request_create, staff_warnings
from returns.services.receive import receipt_photos_store, receipt_state, return_receive
from returns.services.staff import (
    WITHDRAWN,
    return_reassign,
    return_set_free,
    return_withdraw,
)

__all__ = [
    "WITHDRAWN",
    "attachment_store",
    "receipt_photos_store",
    "receipt_state",
    "request_preview",
    "return_is_free",
    "return_reassign",
    "return_receive",
    "return_request_create",
    "return_set_free",
    "return_withdraw",
    "staff_warnings",
]
