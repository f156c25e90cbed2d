"""The case's message thread, through the conversations app's services and selectors.

The back office works before that app lands: ``available()`` is False and the detail
page says so instead of showing the thread.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any


def available() -> bool:
    try:
        return importlib.util.find_spec("conversations.services") is not None
    except ModuleNotFoundError:
        return False


def thread(*, return_request: Any, include_internal: bool = True) -> list:
    if not available():
        return []
    selectors = importlib.import_module("conversations.selectors")
    return selectors.conversation_thread(
        return_request=return_request, include_internal=include_internal
    )


def post(**kwargs: Any) -> Any:
    services = importlib.import_module("conversations.services")
    return services.conversation_post(**kwargs)


def attachment_get(*, return_request: Any, attachment_id: int) -> Any:
    selectors = importlib.import_module("conversations.selectors")
    return selectors.conversation_attachment_get(
        return_request=return_request, attachment_id=attachment_id, include_internal=True
    )
