"""API tokens: issue, check, revoke. Only a SHA-256 of the key is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction

from mosprom.accounts.audit import audit_record
from mosprom.accounts.models import ApiToken, AuditAction, User
from mosprom.core import clock

TOKEN_PREFIX = "mp_"  # noqa: S105 — a marker, not a secret


LAST_USED_PRECISION = dt.timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, ip_address: str | None = None
) -> tuple[ApiToken, str]:
    """Issue a token for ``user``; returns the row and the key, which is never shown again."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:8], key_hash=_hash(key))
    audit_record(action=AuditAction.TOKEN_CREATED, actor=user, target=token, ip_address=ip_address)
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User, ip_address: str | None = None) -> None:
    """Revoke a token; it stops working at once."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=clock.now())
    audit_record(action=AuditAction.TOKEN_REVOKED, actor=actor, target=token, ip_address=ip_address)


def api_token_user(*, key: str) -> User | None:
    """The active user behind a live token, or None."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    # "Last used" is shown to the owner to the minute; writing it on every request would put
    # an UPDATE on the API's hot path.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
