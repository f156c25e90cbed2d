from django.urls import path

from analytics import api

urlpatterns = [
    path("analytics/returns/", api.ReturnsAnalyticsApi.as_view(), name="api-analytics-returns"),
    path(
        "analytics/returns.csv",
        api.ReturnsAnalyticsCsvApi.as_view(),
        name="api-analytics-returns-csv",
    ),
]
