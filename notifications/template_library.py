"""The only tags and filters mail templates may use.

Mail templates are rendered by their own ``django.template.Engine`` whose builtins are
this library alone: Django's defaults (``load``, ``include``, ``extends``, ``ssi``,
``debug``, ``csrf_token``, ``url``, ``static`` ...) are not registered, so a template that
uses one does not even parse. Filters that mark text safe are left out as well.
"""

from django.template import Library, defaultfilters, defaulttags

register = Library()

SAFE_TAGS = (
    "if",
    "for",
    "with",
    "firstof",
    "comment",
    "cycle",
    "now",
    "spaceless",
    "verbatim",
    "widthratio",
    "templatetag",
)
SAFE_FILTERS = (
    "add",
    "capfirst",
    "center",
    "cut",
    "date",
    "default",
    "default_if_none",
    "divisibleby",
    "escape",
    "filesizeformat",
    "first",
    "floatformat",
    "join",
    "last",
    "length",
    "linebreaks",
    "linebreaksbr",
    "ljust",
    "lower",
    "pluralize",
    "rjust",
    "slice",
    "slugify",
    "stringformat",
    "striptags",
    "time",
    "title",
    "truncatechars",
    "truncatewords",
    "upper",
    "urlencode",
    "urlize",
    "wordcount",
    "wordwrap",
    "yesno",
)

for _name in SAFE_TAGS:
    register.tags[_name] = defaulttags.register.tags[_name]
for _name in SAFE_FILTERS:
    register.filters[_name] = defaultfilters.register.filters[_name]
