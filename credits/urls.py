from django.urls import path

from credits import api, payment_settings_api

urlpatterns = [
    path("credit-notes/", api.CreditNoteListCreateApi.as_view(), name="api-credit-notes"),
    path(
        "credit-notes/<int:credit_note_id>/",
        api.CreditNoteDetailApi.as_view(),
        name="api-credit-note",
    ),
    path(
        "credit-notes/<int:credit_note_id>/book/",
        api.CreditNoteBookApi.as_view(),
        name="api-credit-note-book",
    ),
    path(
        "credit-notes/<int:credit_note_id>/document.pdf",
        api.CreditNoteDocumentApi.as_view(),
        name="api-credit-note-document",
    ),
    path("vouchers/", api.VoucherListCreateApi.as_view(), name="api-vouchers"),
    path("vouchers/<str:code>/", api.VoucherDetailApi.as_view(), name="api-voucher"),
    path(
        "vouchers/<str:code>/redemptions/",
        api.VoucherRedemptionApi.as_view(),
        name="api-voucher-redemptions",
    ),
    path(
        "vouchers/<str:code>/redemptions/<int:entry_id>/reversal/",
        api.VoucherReversalApi.as_view(),
        name="api-voucher-reversal",
    ),
    path(
        "settings/payments/",
        payment_settings_api.PaymentSettingsApi.as_view(),
        name="api-payment-settings",
    ),
    path(
        "settings/payments/test/",
        payment_settings_api.PaymentConnectionTestApi.as_view(),
        name="api-payment-settings-test",
    ),
    path("refunds/", api.RefundListApi.as_view(), name="api-refunds"),
    path(
        "returns/<str:rma>/decision/",
        api.ReturnDecisionApi.as_view(),
        name="api-return-decision",
    ),
    path(
        "returns/<str:rma>/resolution/",
        api.ReturnResolutionApi.as_view(),
        name="api-return-resolution",
    ),
]
