from django.urls import path

from orders import api

urlpatterns = [
    path("orders/", api.OrderListCreateApi.as_view(), name="api-orders"),
    path("orders/bulk/", api.OrderBulkUpsertApi.as_view(), name="api-orders-bulk"),
    path("orders/<str:number>/", api.OrderDetailApi.as_view(), name="api-order"),
    path("orders/<str:number>/events/", api.OrderEventApi.as_view(), name="api-order-events"),
]
