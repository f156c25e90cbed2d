"""Days in transit per carrier, against a hand-counted set of parcels: in the figures, the
API (JSON and CSV), the page, and kept up to date when a carrier reports a delivery."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import responses
from django.core.cache import cache
from django.utils import timezone

from analytics.aggregation import analytics_rebuild
from analytics.models import TransitDay
from analytics.selectors import Filters, analytics_report
from carriers.models import ReturnShipment
from carriers.services import carrier_account_save
from carriers.tracking import tracking_poll
from returns.models import ReturnRequest
from returns_platform.tenancy import tenant_context
from testing import carriers as recorded
from testing.carriers import approve
from testing.orders import create_order
from testing.returns import file_return
from testing.staff import TEST_ACTOR, client_for

pytestmark = pytest.mark.django_db
D = Decimal
T = timezone.make_aware(datetime(2026, 11, 2, 9, 0))
SENDCLOUD = {"public_key": recorded.SENDCLOUD_PUBLIC, "secret_key": recorded.SENDCLOUD_SECRET}
GLS = {"client_id": "gls-app", "client_secret": "gls-secret", "contact_id": "276a45e7ZY"}


@pytest.fixture
def parcels(tenant, recent_dates):
    """Five returns requested today (the shop's local day):

    | return | carrier   | first scan | label | delivered | counts as |
    |--------|-----------|------------|-------|-----------|-----------|
    | 1      | Sendcloud | T          | T-2h  | T+50h     | 50 h      |
    | 2      | Sendcloud | (none)     | T     | T+30h     | 30 h      |
    | 3      | Sendcloud | T          | T     | T+96h     | 96 h      |
    | 4      | GLS       | T          | T     | T+72h     | 72 h      |
    | 5      | Sendcloud | T          | T     | (on its way) | —      |
    | 6      | Sendcloud | T          | T     | T+10h, request cancelled | — |

    Sendcloud: 30, 50, 96 h -> median (2nd of 3) 50 h = 2.1 days, p90 (3rd) 96 h = 4.0.
    GLS: 72 h -> 3.0 and 3.0.
    """
    with tenant_context(tenant):
        accounts = {
            "sendcloud": carrier_account_save(
                carrier="sendcloud", actor=TEST_ACTOR, values={}, credentials=SENDCLOUD
            ),
            "gls": carrier_account_save(
                carrier="gls", actor=TEST_ACTOR, values={}, credentials=GLS
            ),
        }
        table = [
            ("sendcloud", T, T - timedelta(hours=2), T + timedelta(hours=50)),
            ("sendcloud", None, T, T + timedelta(hours=30)),
            ("sendcloud", T, T, T + timedelta(hours=96)),
            ("gls", T, T, T + timedelta(hours=72)),
            ("sendcloud", T, T, None),
            ("sendcloud", T, T, T + timedelta(hours=10)),
        ]
        for number, (carrier, scanned, labelled, delivered) in enumerate(table, start=1):
            return_request = file_return(create_order(f"T{number}", **recent_dates))
            ReturnShipment.objects.filter(return_request=return_request).delete()
            ReturnShipment.objects.create(
                return_request=return_request,
                account=accounts[carrier],
                status="delivered" if delivered else "in_transit",
                tracking_number=f"TRACK{number}",
                booked_at=labelled,
                in_transit_at=scanned,
                delivered_at=delivered,
            )
            if number == 6:
                ReturnRequest.objects.filter(pk=return_request.pk).update(status="cancelled")
        analytics_rebuild()


@pytest.fixture
def carrier_http():
    cache.clear()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def today() -> Filters:
    day = timezone.localdate()
    return Filters(start=day, end=day)


EXPECTED = [
    {"carrier": "gls", "label": "GLS", "parcels": 1, "median": D("3.0"), "p90": D("3.0")},
    {
        "carrier": "sendcloud",
        "label": "Sendcloud",
        "parcels": 3,
        "median": D("2.1"),
        "p90": D("4.0"),
    },
]


def test_days_in_transit_per_carrier_are_the_hand_counted_ones(tenant, parcels):
    with tenant_context(tenant):
        assert analytics_report(filters=today())["transit"] == EXPECTED
        # Stored as a histogram on the requests' day: one row per carrier and hour count.
        assert sorted(TransitDay.objects.values_list("carrier", "hours", "count")) == [
            ("gls", 72, 1),
            ("sendcloud", 30, 1),
            ("sendcloud", 50, 1),
            ("sendcloud", 96, 1),
        ]
        # Another country filters them out; the period before has none.
        assert (
            analytics_report(filters=Filters(**{**today().__dict__, "country": "DE"}))["transit"]
            == []
        )
        yesterday = timezone.localdate() - timedelta(days=1)
        assert analytics_report(filters=Filters(start=yesterday, end=yesterday))["transit"] == []


def test_the_api_and_its_csv_carry_days_in_transit(api, parcels):
    day = timezone.localdate().isoformat()
    answer = api.get(f"/api/v1/analytics/returns/?from={day}&to={day}")
    assert answer.status_code == 200
    assert answer.json()["days_in_transit"] == [
        {"carrier": "gls", "parcels": 1, "median": "3.0", "p90": "3.0"},
        {"carrier": "sendcloud", "parcels": 3, "median": "2.1", "p90": "4.0"},
    ]
    text = api.get(f"/api/v1/analytics/returns.csv?from={day}&to={day}").content.decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = rows[0]
    transit = [dict(zip(header, row, strict=True)) for row in rows if row[0] == "days_in_transit"]
    assert [(r["key"], r["label"], r["value"], r["count"]) for r in transit] == [
        ("median", "gls", "3.0", "1"),
        ("p90", "gls", "3.0", "1"),
        ("median", "sendcloud", "2.1", "3"),
        ("p90", "sendcloud", "4.0", "3"),
    ]


def test_the_page_shows_the_table(tenant, admin_user, parcels):
    page = client_for(admin_user).get("/backoffice/analytics/").content.decode()
    section = page.split('id="speed"', 1)[1].split("</section>", 1)[0]
    assert "Days in transit per carrier" in section
    assert "Sendcloud" in section and "GLS" in section and "Parcels delivered" in section


def test_a_reported_delivery_updates_the_figures(
    tenant, in_tenant, recent_dates, carrier_http, django_capture_on_commit_callbacks
):
    account = carrier_account_save(carrier="gls", actor=TEST_ACTOR, values={}, credentials=GLS)
    assert account.carrier == "gls"
    carrier_http.post(recorded.GLS_TOKEN_URL, json=recorded.GLS_TOKEN)
    carrier_http.post(recorded.GLS_SHIPMENTS_URL, json=recorded.GLS_CREATED, status=201)
    carrier_http.get(recorded.GLS_TRACKING_URL, json=recorded.GLS_TRACKING)
    address = {
        "name": "Jan Schmidt",
        "street": "Hauptstraße 5",
        "postcode": "10115",
        "city": "Berlin",
        "country": "DE",
    }
    with django_capture_on_commit_callbacks(execute=True):
        return_request = file_return(create_order("2001", shipping_address=address, **recent_dates))
        approve(return_request)
    shipment = ReturnShipment.objects.get(return_request=return_request)
    assert analytics_report(filters=today())["transit"] == []
    with django_capture_on_commit_callbacks(execute=True):
        tracking_poll(shipment_id=shipment.pk)
    # Handed over 1 Dec 10:46, delivered 3 Dec 11:02: 48 whole hours, 2.0 days.
    assert analytics_report(filters=today())["transit"] == [
        {"carrier": "gls", "label": "GLS", "parcels": 1, "median": D("2.0"), "p90": D("2.0")}
    ]
