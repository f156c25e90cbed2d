"""The portal's landing page (the back-office screens live in the backoffice app)."""

from django.shortcuts import render

from tenants.portal import portal_view


@portal_view
def portal_home(request):
    return render(request, "portal/home.html", {"tenant": request.tenant})
