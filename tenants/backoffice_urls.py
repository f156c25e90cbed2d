from django.contrib.auth import views as auth_views
from django.urls import path

from tenants import views

app_name = "backoffice"
urlpatterns = [
    path(
        "login/", auth_views.LoginView.as_view(template_name="backoffice/login.html"), name="login"
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="/backoffice/login/"), name="logout"),
    path("tenants/", views.tenant_select, name="tenant-select"),
    path("", views.dashboard, name="dashboard"),
]
