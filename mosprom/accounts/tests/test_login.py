"""Login, logout and their audit records (views.login_view, logout_view)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mosprom.accounts.models import AuditAction, AuditEvent
from mosprom.accounts.tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")


def test_login_audits_success(client, visitor):
    response = client.post(
        LOGIN, {"email": visitor.email.upper(), "password": PASSWORD}, REMOTE_ADDR="198.51.100.4"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(visitor.pk)
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == visitor
    assert event.ip_address == "198.51.100.4"


def test_login_failure_is_audited_with_the_email_tried(client, visitor):
    response = client.post(LOGIN, {"email": visitor.email, "password": "wrong-password"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Неверный e-mail или пароль" in body
    assert f'value="{visitor.email}"' in body
    assert "wrong-password" not in body
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor is None
    assert event.details == {"email": visitor.email}
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()


def test_unknown_address_fails_the_same_way(client):
    response = client.post(LOGIN, {"email": "ghost@example.test", "password": "whatever-123"})
    assert "Неверный e-mail или пароль" in response.content.decode()
    assert AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED).details == {
        "email": "ghost@example.test"
    }


def test_inactive_user_cannot_log_in(client):
    user = make_user(is_active=False)
    client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_unconfirmed_user_logs_in_and_is_told_to_confirm(client):
    user = make_user(confirmed=False)
    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD}, follow=True)
    assert response.context["user"] == user
    messages = [str(m) for m in response.context["messages"]]
    assert any("ещё не подтверждён" in m for m in messages)


def test_login_follows_a_safe_next_only(client, visitor):
    data = {"email": visitor.email, "password": PASSWORD}
    response = client.post(
        f"{LOGIN}?next=/accounts/profile/", {**data, "next": "/accounts/profile/"}
    )
    assert response["Location"] == "/accounts/profile/"
    client.logout()
    response = client.post(LOGIN, {**data, "next": "https://evil.example/steal"})
    assert response["Location"] == reverse("web:home")


def test_logout_needs_post(client, visitor):
    client.force_login(visitor)
    assert client.get(LOGOUT).status_code == 405
    assert client.session["_auth_user_id"] == str(visitor.pk)
    assert not AuditEvent.objects.filter(action=AuditAction.LOGOUT).exists()

    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action=AuditAction.LOGOUT).actor == visitor
