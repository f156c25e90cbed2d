from django.urls import path

from returns import api, policy_api

urlpatterns = [
    path("policy/", policy_api.PolicyApi.as_view(), name="api-policy"),
    path("returns/", api.ReturnListCreateApi.as_view(), name="api-returns"),
    path("returns/<str:rma>/", api.ReturnDetailApi.as_view(), name="api-return"),
    path(
        "returns/<str:rma>/transitions/",
        api.ReturnTransitionApi.as_view(),
        name="api-return-transitions",
    ),
    path("returns/<str:rma>/label.pdf", api.ReturnLabelApi.as_view(), name="api-return-label"),
    path("returns/<str:rma>/receipt/", api.ReturnReceiptApi.as_view(), name="api-return-receipt"),
    path("returns/<str:rma>/history/", api.ReturnHistoryApi.as_view(), name="api-return-history"),
    path("orders/<str:number>/history/", api.OrderHistoryApi.as_view(), name="api-order-history"),
]
