"""Profile and consent pages (views_profile.profile, consent_current, consent_accept)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mosprom.accounts.models import AuditAction, AuditEvent, Consent
from mosprom.accounts.selectors import consent_document_current
from mosprom.accounts.services import consent_accept
from mosprom.accounts.tests.factories import make_consent_document, make_user
from mosprom.core import clock

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
CONSENT = reverse("accounts:consent_current")
ACCEPT = reverse("accounts:consent_accept")


def test_profile_needs_login(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_shows_email_state_and_consents(client):
    user = make_user(confirmed=False)
    consent_accept(user=user, document=consent_document_current(), ip_address=None)
    client.force_login(user)
    body = client.get(PROFILE).content.decode()
    assert user.email in body
    assert "не подтверждён" in body
    assert reverse("accounts:confirm_resend") in body
    assert "1.0" in body
    assert reverse("accounts:token_list") not in body  # visitors have no API tokens


def test_profile_links_api_tokens_for_hosts(client, host):
    client.force_login(host)
    assert reverse("accounts:token_list") in client.get(PROFILE).content.decode()


def test_profile_edit_saves_name_and_phone(client, visitor):
    client.force_login(visitor)
    response = client.post(
        PROFILE, {"first_name": " Анна ", "last_name": "Токарева", "phone": "+7  495 123-45-67"}
    )
    assert response["Location"] == PROFILE
    visitor.refresh_from_db()
    assert (visitor.first_name, visitor.last_name, visitor.phone) == (
        "Анна",
        "Токарева",
        "+7 495 123-45-67",
    )


def test_profile_edit_rejects_a_bad_phone_and_keeps_input(client, visitor):
    client.force_login(visitor)
    response = client.post(PROFILE, {"first_name": "Анна", "last_name": "Т", "phone": "позвоните"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Укажите телефон цифрами" in body
    assert 'value="позвоните"' in body
    visitor.refresh_from_db()
    assert visitor.phone == ""


def test_consent_text_is_public(client):
    response = client.get(CONSENT)
    assert response.status_code == 200
    body = response.content.decode()
    assert "152-ФЗ" in body
    assert "Версия 1.0" in body
    assert ACCEPT not in body  # nothing to accept for an anonymous reader


def test_a_future_consent_version_is_not_current_yet(client):
    make_consent_document(version="3.0", published_at=clock.now() + dt.timedelta(days=1))
    assert consent_document_current().version == "1.0"


def test_newer_consent_version_prompts_acceptance(client):
    user = make_user()
    consent_accept(user=user, document=consent_document_current(), ip_address=None)
    client.force_login(user)
    assert "Обновился текст согласия" not in client.get(PROFILE).content.decode()

    newer = make_consent_document(version="2.0")
    body = client.get(PROFILE).content.decode()
    assert "Обновился текст согласия" in body
    assert "Принимаю версию 2.0" in body

    response = client.post(ACCEPT, {"document": newer.pk}, REMOTE_ADDR="192.0.2.10")
    assert response["Location"] == PROFILE
    consent = Consent.objects.get(user=user, document=newer)
    assert consent.ip_address == "192.0.2.10"
    event = AuditEvent.objects.filter(action=AuditAction.CONSENT, actor=user).latest("id")
    assert event.details["version"] == "2.0"
    assert "Обновился текст согласия" not in client.get(PROFILE).content.decode()
    # Both versions stay on record.
    assert list(
        Consent.objects.filter(user=user)
        .order_by("accepted_at")
        .values_list("document__version", flat=True)
    ) == ["1.0", "2.0"]


def test_accepting_a_version_that_is_no_longer_current_is_refused(client, visitor):
    old = consent_document_current()
    make_consent_document(version="2.0")
    client.force_login(visitor)
    response = client.post(ACCEPT, {"document": old.pk})
    assert response["Location"] == CONSENT
    assert not Consent.objects.filter(user=visitor).exists()


def test_accepting_twice_records_once(client, visitor):
    document = consent_document_current()
    client.force_login(visitor)
    client.post(ACCEPT, {"document": document.pk})
    client.post(ACCEPT, {"document": document.pk})
    assert Consent.objects.filter(user=visitor).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CONSENT, actor=visitor).count() == 1


def test_consent_accept_needs_post_and_login(client, visitor):
    assert client.post(ACCEPT)["Location"].startswith(reverse("accounts:login"))
    client.force_login(visitor)
    assert client.get(ACCEPT).status_code == 405
