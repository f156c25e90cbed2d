"""Refusals of conversations: code, HTTP status and message (in the reader\'s language)."""

from django.utils.translation import gettext_lazy as _

from returns_platform.errors import register

register("internal_note_by_consumer", 403, _("Customers cannot write internal notes."))
register("empty_message", 422, _("Write a message first."))
register("message_too_long", 422, _("A message has at most %(limit)s characters."))
register("too_many_attachments.message", 422, _("At most %(limit)s files per message."))
register("not_found.attachment", 404, _("No such attachment."))
