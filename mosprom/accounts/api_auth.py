"""django-ninja authentication: a bearer token for writes."""

from __future__ import annotations

from ninja.security import HttpBearer

from mosprom.accounts.tokens import api_token_user, api_token_user_with
from mosprom.core.api_types import MAX_ID
from mosprom.core.prepared import NOT_READ, PreparedQuery

ID_DIGITS = len(str(MAX_ID))


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mp_…``; sets ``request.auth`` to the user.

    ``TokenAuth(reading=query)`` also reads, in the token's own statement, the object the
    path's ``id`` names (``query`` is a ``PreparedQuery`` by primary key): one round trip
    instead of two on an endpoint every rush attempt calls (docs/PERFORMANCE.md). The view
    takes it with ``read_along``; a path that is not a plain id in range is left to the view's
    own read (and to the API's validation)."""

    def __init__(self, *, reading: PreparedQuery | None = None) -> None:
        super().__init__()
        self.reading = reading

    def authenticate(self, request, token: str):
        pk = _path_id(request) if self.reading is not None else None
        if pk is None:
            user = api_token_user(key=token)
        else:
            user, found = api_token_user_with(key=token, read=self.reading, value=pk)
            if user is not None:
                request._read_along = (self.reading, pk, found)
        if user is not None:
            request.user = user
        return user


def _path_id(request) -> int | None:
    """The path's ``id`` when it is a plain id in range (ninja validates it later; a digit
    string longer than any id is not converted at all: ``int`` refuses 4,300 digits)."""
    raw = request.resolver_match.kwargs.get("id") if request.resolver_match else None
    if isinstance(raw, str):
        if not (raw.isascii() and raw.isdecimal() and len(raw) <= ID_DIGITS):
            return None
        raw = int(raw)
    if type(raw) is int and 1 <= raw <= MAX_ID:
        return raw
    return None


def read_along(request, query: PreparedQuery, pk: int):
    """What the token check read with ``query`` for ``pk`` (None: no such row), or
    ``NOT_READ`` when it read nothing for them."""
    held = getattr(request, "_read_along", None)
    if held is not None and held[0] is query and held[1] == pk:
        return held[2]
    return NOT_READ


token_auth = TokenAuth()
