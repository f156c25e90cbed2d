"""The consumer return portal: look-up, the wizard steps, confirmation and status page.

Views validate input and call selectors and services; the returns core decides. Every
page works without JavaScript; htmx only refreshes the label state on the status page.
One module per part of the journey: ``lookup``, ``steps``, ``details``, ``dropoff``
(service points or pickup times of the shop's carrier), ``review``, ``status`` and
``feedback``; ``common`` holds the page and step decorators.
"""

from portal.views.details import details
from portal.views.dropoff import dropoff
from portal.views.feedback import feedback
from portal.views.lookup import home, language, restart
from portal.views.review import review
from portal.views.status import (
    attachment,
    carrier_label,
    confirmation,
    label,
    label_state,
    reply,
    status,
    withdraw,
)
from portal.views.steps import case, exchange, items, method, resolution

__all__ = [
    "attachment",
    "carrier_label",
    "case",
    "confirmation",
    "details",
    "dropoff",
    "exchange",
    "feedback",
    "home",
    "items",
    "label",
    "label_state",
    "language",
    "method",
    "reply",
    "resolution",
    "restart",
    "review",
    "status",
    "withdraw",
]
