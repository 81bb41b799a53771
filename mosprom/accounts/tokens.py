"""API tokens: issue, check, revoke. Only a SHA-256 of the key is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import connection, transaction

from mosprom.accounts.audit import audit_record
from mosprom.accounts.models import ApiToken, AuditAction, User
from mosprom.core import clock
from mosprom.core.prepared import ANSWER, NOT_READ, PreparedQuery

TOKEN_PREFIX = "mp_"  # noqa: S105 — a marker, not a secret


LAST_USED_PRECISION = dt.timedelta(minutes=1)


# Checked on every API request: the SQL is compiled once per process (core.prepared). The
# sentinel cannot be a SHA-256 hex digest.
def _live_token(key_hash: str):
    return ApiToken.objects.select_related("user").filter(
        key_hash=key_hash, revoked_at__isnull=True, user__is_active=True
    )


def _touching(with_found: str, columns: dict[str, str]) -> str:
    """The token read that also records "last used" when it is older than the precision, in
    the same statement. Nothing depends on that time but the owner's token list, so the write
    does not wait for the WAL flush (``synchronous_commit`` off until the statement's own
    transaction ends): in a rush every visitor's first request would otherwise wait for a disk
    flush, and pay a round trip, before its booking starts. A crash may lose the last minute."""
    last_used = f"found.{columns['last_used_at']}"
    # Only the compiled query and our own column names are formatted in; values are parameters.
    return (
        f"{with_found}, relaxed AS (SELECT set_config('synchronous_commit', 'off', true)), "  # noqa: S608
        "touched AS (UPDATE accounts_apitoken SET last_used_at = %s FROM found, relaxed "
        f"WHERE accounts_apitoken.id = found.{columns['id']} "
        f"AND ({last_used} IS NULL OR {last_used} <= %s)) {ANSWER}"
    )


_LIVE_TOKEN = PreparedQuery(_live_token, sentinel="<no token>")
_LIVE_TOKEN_TOUCHING = PreparedQuery(_live_token, sentinel="<no token>", wrap=_touching)


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
    return api_token_user_with(key=key)[0]


def api_token_user_with(
    *, key: str, read: PreparedQuery | None = None, value=None
) -> tuple[User | None, object]:
    """``(api_token_user(key=key), read.first(value))``, in one statement where the token read
    is one (PostgreSQL, outside a transaction). The second is None when the token is not live
    (or ``read`` found nothing), and ``NOT_READ`` when ``read`` is None."""
    nothing = NOT_READ if read is None else None
    if not key or not key.startswith(TOKEN_PREFIX):
        return None, nothing
    now = clock.now()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # (Inside a transaction the relaxed flush would reach the caller's writes.)
        extra = (now, now - LAST_USED_PRECISION)
        if read is None:
            token, found = _LIVE_TOKEN_TOUCHING.first(_hash(key), extra=extra), nothing
        else:
            token, found = _LIVE_TOKEN_TOUCHING.first_with(_hash(key), read, value, extra=extra)
        return (token.user, found) if token is not None else (None, nothing)
    token = _LIVE_TOKEN.first(_hash(key))
    if token is None:
        return None, nothing
    # "Last used" is shown to the owner to the minute; writing it on every request would put
    # an UPDATE on the API's hot path.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, nothing if read is None else read.first(value)
