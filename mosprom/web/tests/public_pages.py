"""Every public page, for the accessibility check (test_accessibility.py).

Each entry is ``(name, path)``; ``path`` is a string or a callable that builds it from the
demo data (``registry_demo_load()`` and ``accounts_demo_load()`` have run). Append new public
pages here as they are built. Not listed: the API docs (third-party UI we do not control).
"""

from __future__ import annotations

from collections.abc import Callable


def _enterprise_page() -> str:
    from mosprom.registry.demo import demo_inn
    from mosprom.registry.models import Enterprise

    # Московский комбинат игрушек: a site, products and an accessibility note.
    return Enterprise.objects.get(inn=demo_inn(4)).get_absolute_url()


def _sez_enterprise_page() -> str:
    from mosprom.registry.demo import demo_inn
    from mosprom.registry.models import Enterprise

    # Вертикаль Эйр: an SEZ resident with its agreement.
    return Enterprise.objects.get(inn=demo_inn(11)).get_absolute_url()


PUBLIC_PAGES: list[tuple[str, str | Callable[[], str]]] = [
    ("home", "/"),
    ("enterprise list", "/enterprises/"),
    ("enterprise list, filtered", "/enterprises/?q=насосы&okrug=ZAO&hosts_tours=on"),
    ("enterprise list, nothing found", "/enterprises/?q=ничегонет"),
    ("enterprise page", _enterprise_page),
    ("enterprise page, SEZ resident", _sez_enterprise_page),
    ("login", "/accounts/login/"),
    ("signup", "/accounts/signup/"),
    ("signup, mail sent", "/accounts/signup/sent/"),
    ("confirmation link broken", "/accounts/confirm/not-a-token/"),
    ("confirmation resend", "/accounts/confirm-resend/"),
    ("password reset", "/accounts/password-reset/"),
    ("password reset, mail sent", "/accounts/password-reset/sent/"),
    ("password reset link broken", "/accounts/password-reset/MQ/not-a-token/"),
    ("consent text", "/accounts/consent/"),
]
