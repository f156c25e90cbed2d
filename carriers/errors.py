"""The refusals of carriers: code, HTTP status and message (in the reader's language)."""

from django.utils.translation import gettext_lazy as _

from returns_platform.errors import register

register("credentials_missing", 422, _("The %(carrier)s account lacks %(missing)s."))
# Any other refusal of a carrier: its own words, which the platform cannot translate.
register("carrier_error", 422, _("The carrier refused the request: %(detail)s"))
