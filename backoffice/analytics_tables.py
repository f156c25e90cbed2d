"""The analytics screen's filter form and its tables.

Every figure the page shows is in one of these tables: the page renders them (with a
chart where one helps) and each can be downloaded as CSV with the same columns. Cells
keep their raw values (int, Decimal, text); the template and the CSV writer format them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.aggregation import KEEP_ITEM
from analytics.exports import SEPARATORS
from analytics.selectors import Filters
from returns.statuses import CaseType, Resolution
from tenants.models import SalesChannel

DEFAULT_DAYS = 30
MAX_DAYS = 731

TEXT, INT, RATE, MONEY, DAYS, DATE = "text", "int", "rate", "money", "days", "date"
ROW_HEIGHT = 24
BAR_X = 150
BAR_WIDTH = 200


class AnalyticsFilterForm(forms.Form):
    """The period and filters, from the query string; a bad value is a field error and the
    page shows the default period."""

    start = forms.DateField(required=False, label=_("From"))
    end = forms.DateField(required=False, label=_("To"))
    channel = forms.ChoiceField(required=False, label=_("Channel"))
    category = forms.CharField(required=False, max_length=100, label=_("Category"))
    sku = forms.CharField(required=False, max_length=100, label=_("SKU"))
    case_type = forms.ChoiceField(required=False, label=_("Case type"))
    country = forms.CharField(required=False, max_length=2, label=_("Country"))
    decimal = forms.ChoiceField(
        required=False,
        label=_("Decimal separator"),
        choices=[("", _("As my language writes it"))] + [(s, s) for s in SEPARATORS],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channels = SalesChannel.objects.order_by("name").values_list("code", "name")
        self.fields["channel"].choices = [("", _("All"))] + list(channels)
        self.fields["case_type"].choices = [("", _("All"))] + list(CaseType.choices)
        for name in ("start", "end"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})

    def clean(self):
        data = super().clean()
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            self.add_error("start", _("The period starts after it ends."))
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error("start", _("A period is at most %(days)d days.") % {"days": MAX_DAYS})
        data["start"], data["end"] = start, end
        data["country"] = (data.get("country") or "").strip().upper()
        return data

    def filters(self) -> Filters:
        """The valid filters, or the last 30 days unfiltered when the form has errors."""
        if not self.is_valid():
            end = timezone.localdate()
            return Filters(start=end - timedelta(days=DEFAULT_DAYS - 1), end=end)
        data = self.cleaned_data
        return Filters(
            start=data["start"],
            end=data["end"],
            channel=data.get("channel") or "",
            category=(data.get("category") or "").strip(),
            sku=(data.get("sku") or "").strip(),
            case_type=data.get("case_type") or "",
            country=data["country"],
        )


class AnalyticsSettingsForm(forms.Form):
    target_days = forms.IntegerField(
        min_value=1, max_value=365, label=_("Target: days from request to refund")
    )
    repeat_rate_percent = forms.IntegerField(
        min_value=1, max_value=100, label=_("Repeat returner: share of units returned (%)")
    )
    repeat_min_returns = forms.IntegerField(
        min_value=1, max_value=1000, label=_("Repeat returner: at least this many returns")
    )
    min_units_sold = forms.IntegerField(
        min_value=1, max_value=100000, label=_("SKU ranking: at least this many units sold")
    )


@dataclass
class Column:
    label: str
    kind: str = TEXT


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    # (label column, value column) of the bar chart drawn above the table, if any.
    chart: tuple[int, int] | None = None
    links: list[str] = field(default_factory=list)  # one address per row, or none
    # A kind per row for the value columns (the summary mixes counts and a rate).
    row_kinds: list[str] = field(default_factory=list)

    def cells(self) -> list[tuple[str, list[tuple[object, str]]]]:
        """Each row as (link or "", [(value, kind), ...]) for the template."""
        shown = []
        for index, row in enumerate(self.rows):
            kinds = [column.kind for column in self.columns]
            if self.row_kinds:
                kinds = [kinds[0]] + [self.row_kinds[index]] * (len(kinds) - 1)
            link = self.links[index] if self.links else ""
            shown.append((link, list(zip(row, kinds, strict=True))))
        return shown

    @property
    def header(self) -> list[str]:
        return [str(column.label) for column in self.columns]

    def chart_bars(self) -> list[dict]:
        """Horizontal bars in a 440-wide drawing: label, bar (up to 200 wide), value."""
        if self.chart is None:
            return []
        label_at, value_at = self.chart
        values = [row[value_at] or 0 for row in self.rows]
        largest = float(max(values, default=0)) or 1.0
        bars = []
        for index, (row, value) in enumerate(zip(self.rows, values, strict=True)):
            width = round(float(value) / largest * BAR_WIDTH, 1)
            bars.append(
                {
                    "label": str(row[label_at]),
                    "value": row[value_at],
                    "kind": self.columns[value_at].kind,
                    "y": index * ROW_HEIGHT + 3,
                    "text_y": index * ROW_HEIGHT + 17,
                    "x": BAR_X,
                    "width": width,
                    "value_x": BAR_X + width + 6,
                }
            )
        return bars

    @property
    def chart_height(self) -> int:
        return len(self.rows) * ROW_HEIGHT + 4


def _rate_table(name, title, key_label, rows, key, names=None, chart=True) -> Table:
    return Table(
        name,
        title,
        [
            Column(key_label),
            Column(_("Units sold"), INT),
            Column(_("Units returned"), INT),
            Column(_("Return rate"), RATE),
        ],
        [
            [
                (names or {}).get(row[key], row[key]) or "—",
                row["units_sold"],
                row["units_returned"],
                row["return_rate"],
            ]
            for row in rows
        ],
        chart=(0, 3) if chart else None,
    )


def _sku_table(name, title, rows) -> Table:
    return Table(
        name,
        title,
        [
            Column(_("SKU")),
            Column(_("Product")),
            Column(_("Units sold"), INT),
            Column(_("Units returned"), INT),
            Column(_("Return rate"), RATE),
        ],
        [
            [row["sku"], row["name"], row["units_sold"], row["units_returned"], row["return_rate"]]
            for row in rows
        ],
    )


MILESTONE_LABELS = {
    "approval": _("Request to approval"),
    "receipt": _("Request to receipt"),
    "inspection": _("Request to inspection"),
    "refund": _("Request to refund"),
}


def report_tables(report: dict) -> dict[str, Table]:
    previous = report.get("previous", {})
    channel_names = dict(SalesChannel.objects.values_list("code", "name"))
    resolution_labels = {**dict(Resolution.choices), KEEP_ITEM: _("Keep the item")}
    summary_rows = [
        (_("Orders"), "orders", INT),
        (_("Units sold"), "units_sold", INT),
        (_("Returns"), "returns", INT),
        (_("Units returned"), "units_returned", INT),
        (_("Return rate"), "return_rate", RATE),
    ]
    tables = [
        Table(
            "summary",
            _("Summary"),
            [Column(_("Figure")), Column(_("This period"), INT), Column(_("Period before"), INT)],
            [[label, report[key], previous.get(key)] for label, key, _kind in summary_rows],
            row_kinds=[kind for _label, _key, kind in summary_rows],
        ),
        _rate_table(
            "channels",
            _("Return rate per channel"),
            _("Channel"),
            report["by_channel"],
            "channel",
            channel_names,
        ),
        _rate_table(
            "categories",
            _("Return rate per category"),
            _("Category"),
            report["by_category"],
            "category",
        ),
        _sku_table("top_skus", _("SKUs returned most"), report["top_skus"]),
        _sku_table("bottom_skus", _("SKUs returned least"), report["bottom_skus"]),
        Table(
            "reasons",
            _("Reasons"),
            [Column(_("Reason")), Column(_("Units"), INT), Column(_("Share"), RATE)],
            [[row["label"], row["units"], row["share"]] for row in report["reasons"]],
            chart=(0, 1),
        ),
        Table(
            "reasons_by_category",
            _("Reasons per category"),
            [Column(_("Category")), Column(_("Reason")), Column(_("Units"), INT)],
            [
                [category or "—", row["label"], row["units"]]
                for category, rows in report["reasons_by_category"].items()
                for row in rows
            ],
        ),
        Table(
            "resolutions",
            _("Resolutions"),
            [Column(_("Resolution")), Column(_("Returns"), INT), Column(_("Amount"), MONEY)],
            [
                [
                    resolution_labels.get(row["resolution"], row["resolution"]),
                    row["count"],
                    row["amount"],
                ]
                for row in report["resolutions"]
            ],
            chart=(0, 1),
        ),
        Table(
            "money",
            _("Money"),
            [Column(_("Item")), Column(_("Amount"), MONEY)],
            [
                [_("Refunded"), report["refunded"]],
                [_("Credited (store credit)"), report["credited"]],
                [_("Exchanged (value of the items)"), report["exchanged"]],
                [_("Revenue kept (store credit and exchanges)"), report["revenue_kept"]],
                [_("Return costs charged"), report["return_costs"]],
                [_("Vouchers issued"), report["vouchers_issued"]],
                [_("Vouchers redeemed"), report["vouchers_redeemed"]],
            ],
        ),
        Table(
            "speed",
            _("Speed"),
            [
                Column(_("Step")),
                Column(_("Median days"), DAYS),
                Column(_("90th percentile days"), DAYS),
                Column(_("Requests"), INT),
            ],
            [
                [MILESTONE_LABELS[name], figures["median"], figures["p90"], figures["count"]]
                for name, figures in report["speed"]["milestones"].items()
            ],
        ),
        Table(
            "transit",
            _("Days in transit per carrier"),
            [
                Column(_("Carrier")),
                Column(_("Median days"), DAYS),
                Column(_("90th percentile days"), DAYS),
                Column(_("Parcels delivered"), INT),
            ],
            [
                [row["label"], row["median"], row["p90"], row["parcels"]]
                for row in report["transit"]
            ],
        ),
        Table(
            "repeat_returners",
            _("Repeat returners"),
            [
                Column(_("Customer")),
                Column(_("Returns"), INT),
                Column(_("Units returned"), INT),
                Column(_("Units bought"), INT),
                Column(_("Return rate"), RATE),
            ],
            [
                [row["email"], row["returns"], row["units"], row["units_bought"], row["rate"]]
                for row in report["repeat_returners"]
            ],
            links=[f"/backoffice/queue/?q={row['email']}" for row in report["repeat_returners"]],
        ),
        Table(
            "feedback",
            _("Customer satisfaction"),
            [Column(_("Rating")), Column(_("Answers"), INT)],
            [[rating, count] for rating, count in report["feedback"]["distribution"]],
            chart=(0, 1),
        ),
        Table(
            "feedback_comments",
            _("Latest feedback comments"),
            [
                Column(_("Date"), DATE),
                Column(_("Return")),
                Column(_("Rating"), INT),
                Column(_("Comment")),
            ],
            [
                [answer.updated_at.date(), answer.request.rma, answer.rating, answer.comment]
                for answer in report["feedback"]["latest"]
            ],
            links=[f"/backoffice/requests/{a.request.rma}/" for a in report["feedback"]["latest"]],
        ),
        Table(
            "reason_comments",
            _("Comments of the top reasons"),
            [Column(_("Reason")), Column(_("Return")), Column(_("SKU")), Column(_("Comment"))],
            [
                [
                    line.reason.label(report.get("language", "en")),
                    line.request.rma,
                    line.order_line.sku,
                    line.comment,
                ]
                for lines in report["reason_comments"].values()
                for line in lines
            ],
        ),
    ]
    return {table.name: table for table in tables}
