"""The default mail texts as a tenant edits them: one language, no translation tags.

The defaults (``templates/emails/<event>/``) are templates with ``{% translate %}``,
``{% blocktranslate %}`` and ``{% include %}``; a tenant's text is a plain template for
the restricted engine, which has none of these tags. ``default_texts`` turns a default
into such a text for one language: each translation tag becomes the catalogue's
translation (its placeholders back as ``{{ variable }}``), each include the included
text. Rendered, it gives exactly what the default gives (a test checks every mail in
every language), so the back office's editor starts from the text customers receive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.template.base import Lexer, Token, TokenType
from django.utils import translation

from notifications.mails import template_name

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")
_TRANSLATE = ("translate", "trans")
_BLOCK_TRANSLATE = ("blocktranslate", "blocktrans")
_END_BLOCK_TRANSLATE = ("endblocktranslate", "endblocktrans")


class UnsupportedTag(ValueError):
    """A default text uses a form of a translation tag a tenant's text cannot express."""


def _literal(bit: str) -> str:
    if len(bit) < 2 or bit[0] != bit[-1] or bit[0] not in "\"'":
        raise UnsupportedTag(f"Expected a quoted string, got {bit!r}.")
    return bit[1:-1]


def _translate_message(bits: list[str]) -> tuple[str, str]:
    """(context, message) of ``{% translate "message" [context "context"] %}``."""
    message, context = _literal(bits[1]), ""
    rest = bits[2:]
    if rest[:1] == ["context"] and len(rest) == 2:
        context = _literal(rest[1])
    elif rest:
        raise UnsupportedTag(f"Unsupported options of translate: {' '.join(rest)}")
    return context, message


def _block_message(bits: list[str], inner: list[Token]) -> tuple[str, str, dict[str, str]]:
    """(context, msgid, with-variables) of a ``{% blocktranslate %}`` block, built the way
    Django builds its msgid (``%(name)s`` for variables, ``%%`` for a percent sign)."""
    context, trimmed, variables = "", False, {}
    options = iter(bits[1:])
    for option in options:
        if option == "trimmed":
            trimmed = True
        elif option == "context":
            context = _literal(next(options))
        elif option == "with":
            continue
        elif "=" in option:
            name, expression = option.split("=", 1)
            variables[name] = expression
        else:
            raise UnsupportedTag(f"Unsupported option of blocktranslate: {option}")
    parts = []
    for token in inner:
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents.replace("%", "%%"))
        elif token.token_type == TokenType.VAR:
            parts.append(f"%({token.contents})s")
        else:
            raise UnsupportedTag(f"Tags inside blocktranslate are not supported: {token}")
    msgid = "".join(parts)
    if trimmed:
        msgid = translation.trim_whitespace(msgid)
    return context, msgid, variables


def _tokens(name: str) -> Iterator[tuple[str, Token, list[str], list[Token]]]:
    """(kind, token, bits, inner tokens) of a template file, blocktranslate blocks whole."""
    from notifications.rendering import FILE_ENGINE

    tokens = Lexer(FILE_ENGINE.get_template(name).source).tokenize()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token.token_type != TokenType.BLOCK:
            yield "plain", token, [], []
            continue
        bits = token.split_contents()
        if bits[0] in _BLOCK_TRANSLATE:
            inner = []
            while not (
                tokens[index].token_type == TokenType.BLOCK
                and tokens[index].contents.split()[0] in _END_BLOCK_TRANSLATE
            ):
                inner.append(tokens[index])
                index += 1
            index += 1
            yield "blocktranslate", token, bits, inner
        elif bits[0] in _TRANSLATE:
            yield "translate", token, bits, []
        elif bits[0] == "include":
            yield "include", token, bits, []
        else:
            yield "plain", token, bits, []


def _gettext(context: str, message: str) -> str:
    return translation.pgettext(context, message) if context else translation.gettext(message)


def flatten(name: str) -> str:
    """The template ``name`` as a restricted-engine text in the active language."""
    out = []
    for kind, token, bits, inner in _tokens(name):
        if kind == "translate":
            out.append(_gettext(*_translate_message(bits)))
        elif kind == "blocktranslate":
            context, msgid, variables = _block_message(bits, inner)

            def variable(match: re.Match, variables: dict[str, str] = variables) -> str:
                if match.group(0) == "%%":
                    return "%"
                return "{{ " + variables.get(match.group(1), match.group(1)) + " }}"

            out.append(_PLACEHOLDER.sub(variable, _gettext(context, msgid)))
        elif kind == "include":
            out.append(flatten(_literal(bits[1])))
        elif token.token_type == TokenType.TEXT:
            out.append(token.contents)
        elif token.token_type == TokenType.VAR:
            out.append("{{ " + token.contents + " }}")
        elif token.token_type == TokenType.BLOCK:
            out.append("{% " + token.contents + " %}")
    return "".join(out)


def default_texts(event: str, language: str) -> tuple[str, str]:
    """(subject, body) of ``event``'s default mail in ``language``, as a tenant edits it."""
    with translation.override(language):
        subject = flatten(template_name(event, "subject")).strip()
        body = flatten(template_name(event, "body")).strip()
    return subject, body


def template_messages(name: str) -> Iterator[tuple[str, str]]:
    """Every (context, msgid) the template ``name`` and the files it includes translate."""
    for kind, _token, bits, inner in _tokens(name):
        if kind == "translate":
            yield _translate_message(bits)
        elif kind == "blocktranslate":
            context, msgid, _variables = _block_message(bits, inner)
            yield context, msgid
        elif kind == "include":
            yield from template_messages(_literal(bits[1]))
