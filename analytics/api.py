"""Analytics API: the figures of a period as JSON, and the same rows as CSV."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from analytics.exports import DECIMAL_POINT, csv_text
from analytics.selectors import Filters, analytics_report
from analytics.serializers import PeriodInput, ReturnsAnalyticsOutput
from returns_platform.api import TenantAPIView
from returns_platform.tenancy import require_current_tenant

PERIOD_REFUSAL = OpenApiResponse(description="invalid_period, period_too_long")

CSV_HEADER = [
    "section",
    "key",
    "label",
    "value",
    "units_sold",
    "units_returned",
    "return_rate",
    "count",
    "amount",
    "share",
]
SUMMARY_FIELDS = ("orders", "units_sold", "returns", "units_returned", "return_rate")


def filters_from(values: dict) -> Filters:
    return Filters(
        start=values["from"],
        end=values["to"],
        channel=values.get("channel", ""),
        category=values.get("category", ""),
        sku=values.get("sku", ""),
        case_type=values.get("case_type", ""),
        country=values.get("country", ""),
    )


def api_figures(values: dict) -> dict:
    """The API's answer for validated ``PeriodInput`` values (labels in the shop's language)."""
    filters = filters_from(values)
    report = analytics_report(
        filters=filters,
        language=require_current_tenant().default_language,
        compare=False,
        details=False,
    )
    refund = report["speed"]["milestones"]["refund"]
    return {
        "from": filters.start,
        "to": filters.end,
        "currency": report["currency"],
        **{name: report[name] for name in SUMMARY_FIELDS},
        "reasons": report["reasons"],
        "resolutions": report["resolutions"],
        "refunded": {"currency": report["currency"], "amount": report["refunded"]},
        "by_sku": report["by_sku"],
        "by_category": report["by_category"],
        "days_to_refund": {"median": refund["median"], "p90": refund["p90"]},
        "days_in_transit": [
            {name: row[name] for name in ("carrier", "parcels", "median", "p90")}
            for row in report["transit"]
        ],
        "csat": {
            "responses": report["feedback"]["responses"],
            "average": report["feedback"]["average"],
        },
    }


def csv_rows(data: dict) -> list[list]:
    """The API's figures as one table: a section per list, the summary first."""
    rows: list[list] = [
        ["summary", name, "", data[name], "", "", "", "", "", ""] for name in SUMMARY_FIELDS
    ]
    rows.append(["summary", "refunded", data["currency"], data["refunded"]["amount"], *[""] * 6])
    for name in ("median", "p90"):
        rows.append(["days_to_refund", name, "", data["days_to_refund"][name], *[""] * 6])
    for row in data["days_in_transit"]:
        for name in ("median", "p90"):
            rows.append(
                ["days_in_transit", name, row["carrier"], row[name], "", "", "", row["parcels"]]
                + ["", ""]
            )
    rows.append(["csat", "responses", "", data["csat"]["responses"], *[""] * 6])
    rows.append(["csat", "average", "", data["csat"]["average"], *[""] * 6])
    for reason in data["reasons"]:
        rows.append(
            [
                "reason",
                reason["code"],
                reason["label"],
                "",
                "",
                reason["units"],
                "",
                "",
                "",
                reason["share"],
            ]
        )
    for resolution in data["resolutions"]:
        rows.append(
            [
                "resolution",
                resolution["resolution"],
                "",
                "",
                "",
                "",
                "",
                resolution["count"],
                resolution["amount"],
                "",
            ]
        )
    for row in data["by_category"]:
        rows.append(
            [
                "category",
                row["category"],
                "",
                "",
                row["units_sold"],
                row["units_returned"],
                row["return_rate"],
                "",
                "",
                "",
            ]
        )
    for row in data["by_sku"]:
        rows.append(
            [
                "sku",
                row["sku"],
                row["name"],
                "",
                row["units_sold"],
                row["units_returned"],
                row["return_rate"],
                "",
                "",
                "",
            ]
        )
    return rows


class ReturnsAnalyticsApi(TenantAPIView):
    @extend_schema(
        operation_id="analytics_returns",
        parameters=[PeriodInput],
        responses={200: ReturnsAnalyticsOutput, 422: PERIOD_REFUSAL},
        description="Sales, returns, reasons, resolutions, refunds, speed and customer "
        "satisfaction of a period (`from`/`to` inclusive, default the last 30 days). "
        "Rates and shares are decimal strings with 4 places. A period that ends before it "
        "starts (`invalid_period`) or is longer than 731 days (`period_too_long`) is 422.",
    )
    def get(self, request):
        values = PeriodInput(data=request.query_params.dict())
        values.is_valid(raise_exception=True)
        return Response(ReturnsAnalyticsOutput(api_figures(values.validated_data)).data)


class ReturnsAnalyticsCsvApi(TenantAPIView):
    @extend_schema(
        operation_id="analytics_returns_csv",
        parameters=[PeriodInput],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR), 422: PERIOD_REFUSAL},
        description="The same figures as CSV (UTF-8 with BOM): one row per figure, reason, "
        "resolution, category and SKU. `decimal=,` writes decimal commas and separates "
        "fields with semicolons.",
    )
    def get(self, request):
        values = PeriodInput(data=request.query_params.dict())
        values.is_valid(raise_exception=True)
        data = api_figures(values.validated_data)
        text = csv_text(
            CSV_HEADER,
            csv_rows(data),
            decimal_separator=values.validated_data.get("decimal", DECIMAL_POINT),
        )
        response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
        filename = f"returns-{data['from']}-{data['to']}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
