from django.urls import path

from carriers import views

app_name = "carriers"
urlpatterns = [
    path("<slug:slug>/<slug:carrier>/", views.webhook, name="webhook"),
]
