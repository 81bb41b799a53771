"""Test data for accounts: users of every role, consent texts."""

from __future__ import annotations

import datetime as dt
import itertools

from mosprom.accounts.models import ConsentDocument, Role, User
from mosprom.core import clock

_seq = itertools.count(1)
PASSWORD = "correct-horse-42"


def make_user(
    *, role: str = Role.VISITOR, email: str | None = None, confirmed: bool = True, **extra
) -> User:
    n = next(_seq)
    return User.objects.create_user(
        email=email or f"user{n}@example.test",
        password=PASSWORD,
        role=role,
        first_name=extra.pop("first_name", "Иван"),
        last_name=extra.pop("last_name", f"Тестов-{n}"),
        email_confirmed_at=clock.now() if confirmed else None,
        **extra,
    )


def make_consent_document(
    *, version: str | None = None, published_at: dt.datetime | None = None
) -> ConsentDocument:
    """A consent text published now (so it is the current one) unless told otherwise."""
    n = next(_seq)
    return ConsentDocument.objects.create(
        version=version or f"9.{n}",
        title="Согласие на обработку персональных данных",
        text=f"Редакция {n}.",
        published_at=published_at or clock.now(),
    )
