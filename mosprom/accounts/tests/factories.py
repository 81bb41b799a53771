"""Test data for accounts: users of every role."""

from __future__ import annotations

import itertools

from mosprom.accounts.models import Role, User
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
