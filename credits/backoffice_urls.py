"""Back-office screens of the credits app, mounted at ``/backoffice/credits/``."""

from django.urls import path

from credits import views

app_name = "backoffice-credits"
urlpatterns = [
    path("", views.index, name="index"),
    path("vouchers/", views.voucher_find, name="voucher-find"),
    path("vouchers/new/", views.voucher_issue, name="voucher-issue"),
    path("vouchers/<int:voucher_id>/", views.voucher_detail, name="voucher"),
    path("vouchers/<int:voucher_id>/redeem/", views.voucher_redeem, name="voucher-redeem"),
    path("vouchers/<int:voucher_id>/void/", views.voucher_void, name="voucher-void"),
    path("credit-notes/", views.credit_note_list, name="credit-notes"),
    path("credit-notes/new/", views.credit_note_create, name="credit-note-create"),
    path("credit-notes/<int:credit_note_id>/", views.credit_note_detail, name="credit-note"),
    path(
        "credit-notes/<int:credit_note_id>/book/",
        views.credit_note_book,
        name="credit-note-book",
    ),
    path(
        "credit-notes/<int:credit_note_id>/document.pdf",
        views.credit_note_document,
        name="credit-note-document",
    ),
    path("refunds/", views.refund_list, name="refunds"),
    path("refunds/<int:refund_id>/confirm/", views.refund_confirm, name="refund-confirm"),
    path("returns/", views.return_list, name="returns"),
    path("returns/<str:rma>/resolve/", views.return_resolve, name="return-resolve"),
]
