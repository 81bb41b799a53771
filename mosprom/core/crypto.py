"""Encryption of personal data at rest (Fernet, key from FIELD_ENCRYPTION_KEY)."""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt(plain: str) -> str:
    """Ciphertext of ``plain`` (empty stays empty)."""
    if not plain:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    """The plain text behind ``token``; raises ValueError when the key does not fit."""
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("ciphertext does not match FIELD_ENCRYPTION_KEY") from error
