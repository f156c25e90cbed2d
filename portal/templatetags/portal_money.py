"""``{{ amount|money:currency }}`` on the portal's pages: the project's one money filter
(``returns_platform.templatetags.money``), in the page's language (3,50 EUR in Dutch)."""

from __future__ import annotations

from django import template

from returns_platform.templatetags.money import money

register = template.Library()
register.filter("money", money)
