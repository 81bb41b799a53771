"""The Django admin for accounts works with an e-mail user and keeps the audit log read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mosprom.accounts.audit import audit_record
from mosprom.accounts.models import AuditAction, User
from mosprom.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser(email="root@example.test", password="x"))
    return client


@pytest.mark.parametrize("model", ["user", "consentdocument", "consent", "apitoken", "auditevent"])
def test_changelists_open(superuser_client, model):
    make_user()
    audit_record(action=AuditAction.LOGIN)
    assert superuser_client.get(reverse(f"admin:accounts_{model}_changelist")).status_code == 200


def test_superuser_adds_and_edits_a_user(superuser_client):
    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "added@example.test",
            "password1": "Tokarnyi-Stanok-1955",
            "password2": "Tokarnyi-Stanok-1955",
            "usable_password": "true",
            "role": "host",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="added@example.test")
    assert user.role == "host"
    change = reverse("admin:accounts_user_change", args=[user.pk])
    assert superuser_client.get(change).status_code == 200


def test_audit_events_cannot_be_changed_or_deleted(superuser_client):
    event = audit_record(action=AuditAction.LOGIN)
    assert superuser_client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    url = reverse("admin:accounts_auditevent_delete", args=[event.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    view = reverse("admin:accounts_auditevent_change", args=[event.pk])
    assert superuser_client.get(view).status_code == 200  # view-only
