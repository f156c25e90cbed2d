from django.urls import path

from conversations import api

urlpatterns = [
    path(
        "returns/<str:rma>/messages/",
        api.ReturnMessagesApi.as_view(),
        name="api-return-messages",
    ),
]
