from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("restart/", views.restart, name="restart"),
    path("language/", views.language, name="language"),
    path("case/", views.case, name="case"),
    path("items/", views.items, name="items"),
    path("details/", views.details, name="details"),
    path("resolution/", views.resolution, name="resolution"),
    path("exchange/", views.exchange, name="exchange"),
    path("method/", views.method, name="method"),
    path("dropoff/", views.dropoff, name="dropoff"),
    path("review/", views.review, name="review"),
    path("s/<str:token>/", views.status, name="status"),
    path("s/<str:token>/confirmation/", views.confirmation, name="confirmation"),
    path("s/<str:token>/label.pdf", views.label, name="label"),
    path("s/<str:token>/label/", views.label_state, name="label_state"),
    path("s/<str:token>/carrier-label.pdf", views.carrier_label, name="carrier_label"),
    path("s/<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("s/<str:token>/feedback/", views.feedback, name="feedback"),
    path("s/<str:token>/messages/", views.reply, name="reply"),
    path("s/<str:token>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
