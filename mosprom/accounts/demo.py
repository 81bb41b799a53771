"""Demo accounts, one per role, for trying the site locally.

DEMO-ONLY: every demo account shares the password ``mosprom-demo``, printed by
``manage.py demo_data``. Never load demo data into a production database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from mosprom.accounts.models import Consent, ConsentDocument, Role, User
from mosprom.core import clock

DEMO_PASSWORD = "mosprom-demo"  # noqa: S105 — a published demo password, by design

# The fallback consent text, used only when no consent document has been published yet.
_CONSENT_TITLE = "Согласие на обработку персональных данных"
_CONSENT_TEXT = (
    "Я даю согласие на обработку моих персональных данных (фамилия, имя, адрес электронной "
    "почты, телефон) для регистрации на платформе «Открой#Моспром», записи на мероприятия "
    "и получения уведомлений о них в соответствии с Федеральным законом от 27.07.2006 "
    "№ 152-ФЗ «О персональных данных». Согласие действует до его отзыва; отозвать его можно "
    "в профиле."
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    first_name: str
    last_name: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin@demo.mosprom.local", Role.ADMIN, "Алексей", "Демидов"),
    DemoAccount("organiser@demo.mosprom.local", Role.ORGANISER, "Ольга", "Демина"),
    DemoAccount("host@demo.mosprom.local", Role.HOST, "Игорь", "Демченко"),
    DemoAccount("visitor@demo.mosprom.local", Role.VISITOR, "Вера", "Демьянова"),
)


def accounts_demo_logins() -> list[tuple[str, str, str]]:
    """(role label, e-mail, password) of every demo account, for printing."""
    return [(str(Role(a.role).label), a.email, DEMO_PASSWORD) for a in DEMO_ACCOUNTS]


def _current_consent_document() -> ConsentDocument:
    document = ConsentDocument.objects.order_by("-published_at", "-id").first()
    if document is None:
        # The accounts data migration publishes the real text; this covers a database without it.
        document, _ = ConsentDocument.objects.get_or_create(
            version="1.0", defaults={"title": _CONSENT_TITLE, "text": _CONSENT_TEXT}
        )
    return document


@transaction.atomic
def accounts_demo_load() -> list[tuple[str, str, str]]:
    """Ensure one confirmed, consenting demo user per role.

    Idempotent: existing demo users keep their password; a second run changes nothing.
    The host's memberships are registry data: ``registry.demo.registry_demo_memberships_load``.
    """
    document = _current_consent_document()
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                email=account.email,
                password=DEMO_PASSWORD,
                role=account.role,
                first_name=account.first_name,
                last_name=account.last_name,
                email_confirmed_at=clock.now(),
                is_staff=account.role == Role.ADMIN,
                is_superuser=account.role == Role.ADMIN,
            )
        Consent.objects.get_or_create(user=user, document=document)
    return accounts_demo_logins()
