"""Refusals of backoffice: code, HTTP status and message (in the reader\'s language)."""

from django.utils.translation import gettext_lazy as _

from returns_platform.errors import register

register("invalid_action", 422, _("'%(action)s' is not a bulk action."))
