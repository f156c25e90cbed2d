"""Secrets at rest: credentials of carriers and payment providers, encrypted with Fernet.

The keys come from the environment (``FIELD_ENCRYPTION_KEYS``, comma-separated Fernet
keys, newest first). Encryption always uses the first key; decryption tries each in turn,
so a key is rotated by putting the new one in front, saving the rows again (reading and
saving a row re-encrypts it with the new key) and dropping the old key afterwards.
Without the variable, development and tests derive one key from SECRET_KEY; production
refuses to start without it (see settings).

Use ``EncryptedTextField`` / ``EncryptedJSONField`` on models; ``encrypt``/``decrypt``
for anything else. A value that cannot be decrypted raises ``SecretUnreadable`` instead of
silently returning garbage.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


class SecretUnreadable(Exception):
    """A stored secret was encrypted with a key that is no longer configured."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    # settings.py has checked that every key is a Fernet key and that there is one.
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plain: str) -> str:
    return _current().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        message = "The stored secret cannot be decrypted with the current keys."
        raise SecretUnreadable(message) from exc


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code only ever sees the plain value."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


class EncryptedJSONField(models.TextField):
    """A JSON object stored as one Fernet token (never queried by its content)."""

    def from_db_value(self, value, expression, connection) -> Any:
        if value is None or value == "":
            return {}
        return json.loads(decrypt(value))

    def to_python(self, value) -> Any:
        if isinstance(value, dict | list) or value is None:
            return value
        return json.loads(value) if value else {}

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt(json.dumps(value, sort_keys=True))
