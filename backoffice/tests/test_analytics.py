"""The analytics screen: the counted figures in English and Dutch, CSV downloads, filters
and the query count."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tenants.models import Role
from testing.staff import add_staff, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PERIOD = "start=2026-10-01&end=2026-10-10"


@pytest.fixture
def agent_client(tenant):
    return client_for(add_staff(tenant, "agent@acme.example", Role.AGENT))


def rows_of(response, delimiter=","):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


def test_the_page_shows_the_counted_figures(agent_client, counted):  # noqa: F811
    page = agent_client.get(f"/backoffice/analytics/?{PERIOD}").content.decode()
    assert 'data-testid="return-rate">55.6\u00a0%<' in page
    assert 'data-testid="csat">3.5 / 5<' in page
    for table in (
        "summary",
        "channels",
        "categories",
        "reasons",
        "resolutions",
        "money",
        "speed",
        "repeat_returners",
        "feedback",
        "feedback_comments",
    ):
        assert f'data-testid="table-{table}"' in page, table
    for chart in ("channels", "categories", "reasons", "resolutions", "feedback"):
        assert f'data-testid="chart-{chart}"' in page, chart
    assert '<th scope="row">Wrong size</th><td class="num">3</td>' in page
    assert "100.00\u00a0EUR" in page and "12.90\u00a0EUR" in page
    assert 'href="/backoffice/queue/?q=jan@example.com"' in page
    assert "Too small" in page and "Seam came loose" in page  # the reasons' comments
    assert "1 request took longer than the target" not in page
    assert "0 requests took longer than the target of 14 days to refund." in page


def test_the_page_in_dutch(agent_client, counted):  # noqa: F811
    agent_client.post("/backoffice/language/", {"language": "nl"})
    page = agent_client.get(f"/backoffice/analytics/?{PERIOD}").content.decode()
    assert 'data-testid="return-rate">55,6\u00a0%<' in page
    assert "Retourpercentage per kanaal" in page and "Klanttevredenheid" in page
    assert '<th scope="row">Verkeerde maat</th>' in page
    assert "100,00\u00a0EUR" in page
    # The drawing's coordinates stay numbers SVG reads (no decimal commas).
    widths = re.findall(r'<rect x="\d+" y="\d+" width="([^"]+)"', page)
    assert widths and all(re.fullmatch(r"\d+(\.\d+)?", width) for width in widths)


def test_reasons_csv_in_english_and_dutch(agent_client, counted):  # noqa: F811
    response = agent_client.get(f"/backoffice/analytics/export/reasons.csv?{PERIOD}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="reasons-2026-10-01-2026-10-10.csv"' in response["Content-Disposition"]
    assert rows_of(response) == [
        ["Reason", "Units", "Share"],
        ["Wrong size", "3", "0.6000"],
        ["Damaged", "2", "0.4000"],
    ]
    agent_client.post("/backoffice/language/", {"language": "nl"})
    dutch = agent_client.get(f"/backoffice/analytics/export/reasons.csv?{PERIOD}")
    assert rows_of(dutch, ";") == [
        ["Reden", "Stuks", "Aandeel"],
        ["Verkeerde maat", "3", "0,6000"],
        ["Beschadigd", "2", "0,4000"],
    ]
    point = agent_client.get(f"/backoffice/analytics/export/reasons.csv?{PERIOD}&decimal=.")
    assert rows_of(point)[1] == ["Verkeerde maat", "3", "0.6000"]


def test_every_table_downloads_with_its_columns(agent_client, counted):  # noqa: F811
    expected = {
        "summary": ["Figure", "This period", "Period before"],
        "channels": ["Channel", "Units sold", "Units returned", "Return rate"],
        "top_skus": ["SKU", "Product", "Units sold", "Units returned", "Return rate"],
        "resolutions": ["Resolution", "Returns", "Amount"],
        "money": ["Item", "Amount"],
        "speed": ["Step", "Median days", "90th percentile days", "Requests"],
        "repeat_returners": [
            "Customer",
            "Returns",
            "Units returned",
            "Units bought",
            "Return rate",
        ],
        "feedback": ["Rating", "Answers"],
        "reason_comments": ["Reason", "Return", "SKU", "Comment"],
    }
    for table, header in expected.items():
        rows = rows_of(agent_client.get(f"/backoffice/analytics/export/{table}.csv?{PERIOD}"))
        assert rows[0] == header, table
    summary = rows_of(agent_client.get(f"/backoffice/analytics/export/summary.csv?{PERIOD}"))
    assert summary[1:] == [
        ["Orders", "3", "1"],
        ["Units sold", "9", "1"],
        ["Returns", "3", "0"],
        ["Units returned", "5", "0"],
        ["Return rate", "0.5556", "0.0000"],
    ]
    money = rows_of(agent_client.get(f"/backoffice/analytics/export/money.csv?{PERIOD}"))
    assert money[1:] == [
        ["Refunded", "100.00"],
        ["Credited (store credit)", "63.00"],
        ["Exchanged (value of the items)", "0.00"],
        ["Revenue kept (store credit and exchanges)", "63.00"],
        ["Return costs charged", "12.90"],
        ["Vouchers issued", "63.00"],
        ["Vouchers redeemed", "20.00"],
    ]
    assert agent_client.get("/backoffice/analytics/export/nope.csv").status_code == 404


def test_filters_and_bad_input(agent_client, counted):  # noqa: F811
    market = agent_client.get(f"/backoffice/analytics/?{PERIOD}&channel=market").content.decode()
    assert 'data-testid="return-rate">50.0\u00a0%<' in market
    bad = agent_client.get("/backoffice/analytics/?start=2026-10-10&end=2026-10-01")
    assert bad.status_code == 200
    assert "The period starts after it ends." in bad.content.decode()
    unknown = agent_client.get("/backoffice/analytics/?channel=nope&start=garbage")
    assert unknown.status_code == 200


def test_another_shop_sees_its_own_empty_figures(other_tenant, counted):  # noqa: F811
    outsider = client_for(add_staff(other_tenant, "agent@globex.example", Role.AGENT))
    page = outsider.get(f"/backoffice/analytics/?{PERIOD}").content.decode()
    assert 'data-testid="return-rate">—<' in page
    assert "Wrong size" not in page and "jan@example.com" not in page


def test_the_query_count_does_not_grow_with_the_data(
    agent_client,
    other_tenant,
    counted,  # noqa: F811
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    empty_shop = client_for(add_staff(other_tenant, "agent@globex.example", Role.AGENT))
    counts = []
    for client in (agent_client, empty_shop):
        client.get(f"/backoffice/analytics/?{PERIOD}")  # the session's first look-ups
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/backoffice/analytics/?{PERIOD}")
        counts.append(len(queries))
    # A shop without returns skips the comments (their line ids and the lines), the repeat
    # returners' purchases and the feedback answers' texts.
    assert counts == [PAGE_QUERIES, PAGE_QUERIES - 4]


# Session, user, membership and tenant; the report's reads of the aggregate rows (this
# period and the one before), reasons, feedback (ratings, then the answers' texts), repeat
# returners and their purchases, comments (line ids, then the lines); the channel names of
# the filter form and of the tables; the days in transit per carrier.
PAGE_QUERIES = 27


def test_admins_set_the_target_and_the_page_follows(tenant, admin_user, counted):  # noqa: F811
    admin = client_for(admin_user)
    assert admin.get("/backoffice/analytics/settings/").status_code == 200
    bad = admin.post("/backoffice/analytics/settings/", {"target_days": "0"})
    assert bad.status_code == 422
    saved = admin.post(
        "/backoffice/analytics/settings/",
        {
            "target_days": "4",
            "repeat_rate_percent": "50",
            "repeat_min_returns": "2",
            "min_units_sold": "3",
        },
    )
    assert saved.status_code == 302
    page = admin.get(f"/backoffice/analytics/?{PERIOD}").content.decode()
    assert "1 request took longer than the target of 4 days to refund." in page
    assert 'data-testid="table-top_skus"' in page and '<th scope="row">SKU-A</th>' in page
