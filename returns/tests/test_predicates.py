"""The returns domain's named rules, and the places that ask them instead of restating."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from notifications.planning import event_context
from orders.carriers import CARRIER_NAMES, carrier_display_name
from returns import predicates
from returns.labels import carrier_name
from returns.statuses import FINAL_STATUSES, ReturnStatus

ROOT = Path(settings.BASE_DIR)


def request(**values):
    defaults = {"case_type": "return", "keep_item": False, "status": "requested"}
    defaults["method"] = "drop_off"
    return SimpleNamespace(**{**defaults, **values})


@pytest.mark.parametrize(
    ("case_type", "keep_item", "expected"),
    [
        ("return", False, True),
        ("complaint", False, True),
        ("missing_item", False, False),
        ("return", True, False),
        ("complaint", True, False),
    ],
)
def test_needs_parcel(case_type, keep_item, expected):
    assert predicates.needs_parcel(request(case_type=case_type, keep_item=keep_item)) is expected


@pytest.mark.parametrize(
    ("method", "case_type", "expected"),
    [
        ("drop_off", "return", True),
        ("pickup", "complaint", True),
        ("qr_drop_off", "return", False),
        ("in_store", "return", False),
        ("own_shipping", "return", False),
        ("drop_off", "missing_item", False),
    ],
)
def test_needs_label(method, case_type, expected):
    assert predicates.needs_label(request(method=method, case_type=case_type)) is expected


@pytest.mark.parametrize("status", [status.value for status in ReturnStatus])
def test_final_and_withdrawable_statuses(status):
    assert predicates.is_final(request(status=status)) is (status in FINAL_STATUSES)
    assert predicates.can_withdraw(request(status=status)) is (status == "requested")


def test_order_accepts_returns_unless_cancelled():
    for status in ("placed", "shipped", "delayed", "delivered"):
        assert predicates.order_accepts_returns(SimpleNamespace(status=status))
    assert not predicates.order_accepts_returns(SimpleNamespace(status="cancelled"))


def test_photo_and_decision_belong_to_complaints():
    assert predicates.case_needs_photo("complaint")
    assert not predicates.case_needs_photo("return")
    assert predicates.case_takes_decision("complaint")
    assert not predicates.case_takes_decision("missing_item")


def test_the_model_answers_the_same(in_tenant):
    from returns.models import ReturnRequest

    return_request = ReturnRequest(case_type="missing_item", status="completed", method="drop_off")
    assert (return_request.needs_parcel, return_request.needs_label) == (False, False)
    assert (return_request.is_final, return_request.can_withdraw) == (True, False)


def _mail_context(**data):
    tenant = SimpleNamespace(
        name="Shop", slug="shop", brand_colour="#000", logo=None, policy_url="", support_url=""
    )
    return event_context("return.approved", {"status_path": "/r/shop/s/x/", **data}, tenant, "en")


def test_the_approval_mail_offers_the_label_only_when_a_parcel_travels():
    with_label = _mail_context(method="drop_off", case_type="return", needs_parcel=True)
    with_code = _mail_context(method="qr_drop_off", case_type="return", needs_parcel=True)
    kept = _mail_context(method="drop_off", case_type="return", needs_parcel=False)
    missing = _mail_context(method="drop_off", case_type="missing_item")
    assert with_label["label_url"] and with_code["label_url"]
    assert with_label["method_instructions"]
    for context in (kept, missing):
        assert (context["label_url"], context["method_instructions"]) == ("", "")


def test_one_list_of_carrier_names():
    assert carrier_display_name("PostNL") == "PostNL"
    assert carrier_display_name("acme") == "acme"
    assert carrier_name(SimpleNamespace(carrier="dhl", shipping_country="NL")) == "DHL"
    assert carrier_name(SimpleNamespace(carrier="", shipping_country="BE")) == "bpost"
    mentions = [
        path
        for path in ROOT.glob("*/**/*.py")
        if ".venv" not in path.parts
        and "tests" not in path.parts
        and '"postnord": "PostNord"' in path.read_text()
    ]
    assert mentions == [ROOT / "orders" / "carriers.py"], mentions
    assert set(CARRIER_NAMES) >= {"postnl", "dhl", "bpost", "inpost", "postnord"}


# Code that decides by case type or by a list of final statuses instead of asking.
RESTATED = re.compile(
    r"case_type\s*(?:[!=]=|=)\s*(?:CaseType\.MISSING_ITEM|[\"']missing_item)|"
    r"status\s*!=\s*[\"']completed[\"']\s+and"
)


def test_no_interface_or_app_restates_the_no_parcel_rule():
    allowed = {ROOT / "returns" / "statuses.py", ROOT / "returns" / "predicates.py"}
    offenders = []
    for pattern in ("*/**/*.py", "templates/**/*.html"):
        for path in ROOT.glob(pattern):
            if {".venv", "tests", "migrations"} & set(path.parts) or path in allowed:
                continue
            if path.parts[len(ROOT.parts)] in ("demo", "bench", "testing"):
                continue
            if RESTATED.search(path.read_text()):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
