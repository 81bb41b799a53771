"""django-ninja authentication: a bearer token for writes."""

from __future__ import annotations

from ninja.security import HttpBearer

from mosprom.accounts.tokens import api_token_user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mp_…``; sets ``request.auth`` to the user."""

    def authenticate(self, request, token: str):
        user = api_token_user(key=token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()
