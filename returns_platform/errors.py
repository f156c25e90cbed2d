"""Domain errors and the registry of their codes.

A refusal is a registered code plus the values its message needs. Each app declares its
codes in its own ``errors`` module (``register(key, status, gettext_lazy(...))``); the
core collects them at start-up without naming any app (``autodiscover_errors``). The
message is rendered from the registry when someone reads it, so the API answers in the
request's language, the back office in the staff member's and the portal in the
consumer's.

Where the message speaks of internals (line indexes, method codes), an entry also has a
``public`` text: the words a consumer reads on the portal.

A key is the stable ``code`` of the API (``"not_receivable"``), or, when one code has
several messages, the code and a variant: ``"invalid_refund.too_high"`` answers with
``code: "invalid_refund"`` and its own message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@dataclass(frozen=True)
class ErrorCode:
    key: str
    status: int
    template: Promise | str
    public: Promise | str | None = None

    @property
    def code(self) -> str:
        return self.key.partition(".")[0]

    @property
    def placeholders(self) -> frozenset[str]:
        texts = (self.template, self.public) if self.public is not None else (self.template,)
        return frozenset(name for text in texts for name in PLACEHOLDER.findall(str(text)))

    def render(self, params: Mapping[str, Any] | None = None, *, public: bool = False) -> str:
        """The message in the active language (the consumer's words with ``public``)."""
        text = str(self.public if public and self.public is not None else self.template)
        return text % dict(params or {}) if PLACEHOLDER.search(text) else text


_REGISTRY: dict[str, ErrorCode] = {}


def register(
    key: str, status: int, template: Promise | str, *, public: Promise | str | None = None
) -> ErrorCode:
    """Declare an error code; declaring one key twice with other terms is a mistake."""
    entry = ErrorCode(key, status, template, public)
    known = _REGISTRY.get(key)
    if known is not None:
        if _terms(known) != _terms(entry):
            raise ValueError(f"Error code {key!r} is registered twice with different terms.")
        return known
    _REGISTRY[key] = entry
    return entry


def _terms(entry: ErrorCode) -> tuple:
    return entry.status, str(entry.template), str(entry.public)


def registry() -> Mapping[str, ErrorCode]:
    return dict(_REGISTRY)


def lookup(key: str) -> ErrorCode | None:
    return _REGISTRY.get(key)


def autodiscover_errors() -> None:
    """Import every installed app's ``errors`` module, which registers its codes."""
    autodiscover_modules("errors")


class DomainError(Exception):
    """A refusal: ``code`` names a registered error, ``params`` fill its message.

    ``message`` is rendered on every read, in the active language. A ``message`` given
    to the constructor is used only for codes that are not registered (outside text such
    as a carrier's answer); tests require every raised code to be registered.
    """

    code = "domain_error"
    status = 422

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
        params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        self.key = code or self.code
        self.code = self.key.partition(".")[0]
        self.params = dict(params or {})
        self.field = field
        self.extra = extra
        self._text = message
        entry = lookup(self.key)
        if status:
            self.status = status
        elif entry is not None:
            self.status = entry.status
        super().__init__(self.key)

    @property
    def entry(self) -> ErrorCode | None:
        return lookup(self.key)

    @property
    def message(self) -> str:
        return self._render(public=False)

    @property
    def public_message(self) -> str:
        """What a consumer reads: the entry's public text, else its message."""
        return self._render(public=True)

    def _render(self, *, public: bool) -> str:
        entry = self.entry
        if entry is None:
            return self._text or self.key
        try:
            return entry.render(self.params, public=public)
        except (KeyError, TypeError, ValueError):
            return self._text or str(entry.template)

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        body.update(self.extra)
        return body


class NotFoundError(DomainError):
    code = "not_found"
    status = 404


class ConflictError(DomainError):
    code = "conflict"
    status = 409


register("domain_error", 422, _("The request was refused."))
register("not_found", 404, _("Not found."))
register("conflict", 409, _("The request conflicts with the current state."))
register(
    "idempotency_key_reused",
    422,
    _("This Idempotency-Key was used with a different request body."),
)
