"""Signed links sent by mail: e-mail confirmation and password reset.

Both read the time from ``mosprom.core.clock`` so tests can move it explicitly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from mosprom.accounts.models import User
from mosprom.core import clock
from mosprom.core.links import absolute_url

CONFIRM_SALT = "mosprom.accounts.confirm-email"


class ConfirmationInvalid(Exception):
    """The confirmation link was altered, or its account or address no longer exists."""


class ConfirmationExpired(ConfirmationInvalid):
    """The confirmation link is genuine but older than EMAIL_CONFIRMATION_MAX_AGE."""

    def __init__(self, email: str) -> None:
        super().__init__(email)
        self.email = email


@dataclass(frozen=True)
class ConfirmationClaim:
    user_id: int
    email: str
    next_url: str


def confirmation_token_make(*, user: User, next_url: str = "") -> str:
    """A signed token naming the user, the address and the issue time (and where to go next)."""
    payload = {"u": user.pk, "e": user.email, "t": int(clock.now().timestamp())}
    if next_url:
        payload["n"] = next_url
    return signing.Signer(salt=CONFIRM_SALT).sign_object(payload)


def confirmation_token_read(token: str) -> ConfirmationClaim:
    """What a confirmation token claims; raises ConfirmationInvalid / ConfirmationExpired."""
    try:
        payload = signing.Signer(salt=CONFIRM_SALT).unsign_object(token)
        user_id, email, issued = int(payload["u"]), str(payload["e"]), int(payload["t"])
        next_url = str(payload.get("n", ""))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ConfirmationInvalid from None
    if clock.now().timestamp() - issued > settings.EMAIL_CONFIRMATION_MAX_AGE:
        raise ConfirmationExpired(email)
    return ConfirmationClaim(user_id=user_id, email=email, next_url=next_url)


def confirmation_url(*, user: User, next_url: str = "") -> str:
    """The absolute link that confirms ``user``'s address."""
    token = confirmation_token_make(user=user, next_url=next_url)
    return absolute_url(reverse("accounts:confirm_email", args=[token]))


class ClockTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset tokens, timed by the platform clock."""

    def _now(self) -> dt.datetime:
        return clock.now().astimezone(dt.UTC).replace(tzinfo=None)


password_reset_tokens = ClockTokenGenerator()


def password_reset_url(*, user: User) -> str:
    """The absolute link where ``user`` sets a new password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = password_reset_tokens.make_token(user)
    return absolute_url(reverse("accounts:password_reset_confirm", args=[uid, token]))


def password_reset_user(*, uidb64: str, token: str) -> User | None:
    """The active user a password-reset link is for, if the link is genuine and fresh."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not password_reset_tokens.check_token(user, token):
        return None
    return user
