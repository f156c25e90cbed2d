"""Refusals of tenants: code, HTTP status and message (in the reader\'s language)."""

from django.utils.translation import gettext_lazy as _

from returns_platform.errors import register

register("not_a_member.consultant", 422, _("The consultant does not work for this shop."))
register("code_taken", 422, _("A channel with code '%(code)s' already exists."))
register("invalid_setting", 422, _("%(setting)s is not a shop setting."))
register("invalid_role", 422, _("'%(role)s' is not a role."))
register("last_admin", 409, _("A shop keeps at least one admin."))
register("not_yourself", 409, _("You cannot remove yourself from the shop."))
register("not_a_member", 422, _("%(email)s does not work for this shop."))
register("invalid_scopes", 422, _("Choose at least one scope for the key."))
register("invalid_scopes.unknown", 422, _("Unknown scope(s): %(scopes)s."))
