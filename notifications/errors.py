"""Refusals of notifications: code, HTTP status and message (in the reader\'s language)."""

from django.utils.translation import gettext_lazy as _

from returns_platform.errors import register

register("unknown_event", 422, _("There is no mail for the event '%(event)s'."))
register("unknown_language", 422, _("Mails are written in %(languages)s, not '%(language)s'."))
register("template_error.subject_too_long", 422, _("A subject has at most 300 characters."))
register(
    "message_not_finished",
    409,
    _("Only a sent or failed message can be sent again (its status: %(status)s)."),
)
register("no_events", 422, _("Choose at least one event (or '*' for all)."))
register(
    "template_error.render", 422, _("The %(part)s template fails on the sample data: %(message)s")
)
register("unknown_event.webhook", 422, _("Unknown event '%(event)s'; use an event name or '*'."))
register(
    "template_error", 422, _("The %(part)s template has an error on line %(line)s: %(message)s")
)
register("webhook_url_scheme", 422, _("A webhook URL must use http or https."))
register("webhook_url_host", 422, _("A webhook URL needs a host name."))
register("webhook_url_port", 422, _("The port of the webhook URL is not valid."))
register("webhook_url_unresolvable", 422, _("The webhook host '%(host)s' does not resolve."))
register(
    "webhook_url_internal",
    422,
    _("The webhook host '%(host)s' resolves to an internal address (%(address)s)."),
)
