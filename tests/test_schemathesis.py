"""Schemathesis sends generated requests to every operation of the OpenAPI schema and
judges each answer with every check it has (no server errors, documented status codes,
content types, headers and bodies; schema-invalid input refused, schema-valid input
accepted; auth not ignored). The run is bounded and derandomized so CI is deterministic.

SCHEMATHESIS_EXAMPLES raises the number of examples for a longer run by hand
(docs/api.md, "How the schema is checked").
"""

from __future__ import annotations

import os
import sys
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.core.parameters import ParameterLocation

from returns_platform.audit import Actor
from returns_platform.tenancy import tenant_context
from tenants.services import api_key_create
from testing.credits import inspected_return
from testing.tenants import make_tenant

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))
REQUESTS: Counter[str] = Counter()
_stateful_key: dict[str, str] = {}


def _application():
    """Django's WSGI application as the test client runs it: a request does not close the
    test's database connection (its transaction holds the shop)."""
    handler = get_wsgi_application()

    def application(environ, start_response):
        REQUESTS[environ["REQUEST_METHOD"]] += 1
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            return handler(environ, start_response)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return application


# A schema-valid request may still be refused by a business rule: that is a 422 with the
# error body (documented on every write), never a 400, which means the schema was broken.
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {"coverage": {"enabled": os.environ.get("SCHEMATHESIS_COVERAGE") == "1"}},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
            }
        },
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", _application(), config=CONFIG)


@pytest.fixture(scope="module", autouse=True)
def _requests_made():
    """Report how many requests the run made (the schema's own fetch included)."""
    yield
    total = sum(REQUESTS.values())
    by_method = ", ".join(f"{method} {count}" for method, count in sorted(REQUESTS.items()))
    if total:  # shown with -s (pytest captures it otherwise)
        sys.__stderr__.write(f"\nschemathesis: {total} requests ({by_method})\n")


@pytest.fixture
def shop(db):
    """A shop with an order, an inspected return and an API key with every scope."""
    tenant = make_tenant("fuzz")
    with tenant_context(tenant):
        return_request = inspected_return(number="1001")
        issued = api_key_create(name="fuzz", actor=Actor.system("test"))
    return {
        "key": issued.plaintext,
        "path": {"rma": return_request.rma, "number": "1001"},
    }


@pytest.mark.postgres
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
def test_api_answers_as_its_schema_says(case, shop):
    if case.path_parameters and not case.meta.is_negative_at(ParameterLocation.PATH):
        for name, value in shop["path"].items():
            if name in case.path_parameters:
                case.path_parameters[name] = value
    case.call_and_validate(headers={"Authorization": f"Bearer {shop['key']}"})


STATEFUL_SCENARIOS = int(os.environ.get("SCHEMATHESIS_SCENARIOS", "10"))


class _Workflow(schema.as_state_machine()):
    """Scenarios that follow the links Schemathesis infers between operations (an order
    created, then read, its events posted; a credit note created, then patched, booked,
    its document fetched; ...), every answer judged by the same checks."""

    def get_call_kwargs(self, case):
        return {"headers": {"Authorization": f"Bearer {_stateful_key['key']}"}}

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        # As call_and_validate does: the checks know the header is the given credential.
        case.validate_response(
            response,
            additional_checks=additional_checks,
            headers=kwargs.get("headers"),
            transport_kwargs=kwargs,
            recorder=self.recorder,
        )


@pytest.mark.postgres
def test_linked_operations_answer_as_the_schema_says(shop):
    _stateful_key["key"] = shop["key"]
    _Workflow.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
        )
    )
