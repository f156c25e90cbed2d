"""Manual payouts: staff pay the refund themselves and confirm it afterwards."""

from credits.providers.base import ConnectionCheck, PaymentProvider, RefundRequest, RefundResult


class ManualProvider(PaymentProvider):
    name = "manual"

    def refund(self, request: RefundRequest) -> RefundResult:
        # Nothing is sent anywhere; the refund waits for refund_confirm_manual().
        return RefundResult(provider_reference="", pending=True)

    def check(self) -> ConnectionCheck:
        return ConnectionCheck(mode="live", detail="")
