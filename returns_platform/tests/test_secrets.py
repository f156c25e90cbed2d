"""Secrets at rest: Fernet tokens in the column, plain values in Python, keys rotate."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection, models

from returns_platform import secrets


@pytest.fixture
def two_keys(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    return old, new


def test_round_trip_and_token_is_not_plain(two_keys):
    token = secrets.encrypt("sk_live_123")
    assert "sk_live_123" not in token
    assert secrets.decrypt(token) == "sk_live_123"


def test_rotation_old_key_still_decrypts_new_key_encrypts(two_keys, settings):
    old, new = two_keys
    token_old = secrets.encrypt("api-secret")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert secrets.decrypt(token_old) == "api-secret"
    token_new = secrets.encrypt("api-secret")
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert secrets.decrypt(token_new) == "api-secret"
    with pytest.raises(secrets.SecretUnreadable):
        secrets.decrypt(token_old)


def test_unknown_key_is_an_error_not_garbage(two_keys, settings):
    token = secrets.encrypt("x")
    settings.FIELD_ENCRYPTION_KEYS = [two_keys[1]]
    with pytest.raises(secrets.SecretUnreadable):
        secrets.decrypt(token)


def test_fields_prepare_tokens_and_read_plain_values():
    text = secrets.EncryptedTextField()
    token = text.get_prep_value("pw")
    assert token != "pw" and text.from_db_value(token, None, connection) == "pw"
    assert text.get_prep_value("") == "" and text.from_db_value(None, None, connection) is None

    data = secrets.EncryptedJSONField()
    token = data.get_prep_value({"api_key": "k", "secret": "s"})
    assert "api_key" not in token
    assert data.from_db_value(token, None, connection) == {"api_key": "k", "secret": "s"}
    assert data.from_db_value("", None, connection) == {}
    assert isinstance(data, models.TextField)
