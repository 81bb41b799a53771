"""Password reset: request, mail, new password (views.password_reset*)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from mosprom.accounts.links import password_reset_url
from mosprom.accounts.models import AuditAction, AuditEvent
from mosprom.accounts.tests.conftest import link_in
from mosprom.accounts.tests.factories import PASSWORD, make_user
from mosprom.core import clock

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "Frezernyi-Stanok-1972"


def test_password_reset_end_to_end(client, django_capture_on_commit_callbacks):
    user = make_user(confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": user.email.upper()})
    assert response["Location"] == reverse("accounts:password_reset_sent")
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "Смена пароля" in message.subject
    path = link_in(message.body, "/accounts/password-reset/")

    form = client.get(path)
    assert form.status_code == 200
    assert "Новый пароль" in form.content.decode()

    mismatch = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    assert mismatch.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    done = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.email_confirmed_at is not None  # the mailed link proved the mailbox
    stages = list(
        AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET)
        .order_by("id")
        .values_list("details__stage", flat=True)
    )
    assert stages == ["requested", "completed"]

    # The link is spent: the password it was made for has changed.
    assert client.get(path).status_code == 400
    # And the new password logs in.
    login = client.post(reverse("accounts:login"), {"email": user.email, "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_reset_request_never_reveals_whether_an_address_exists(
    client, django_capture_on_commit_callbacks
):
    user = make_user()
    responses = []
    for email in (user.email, "nobody@example.test"):
        with django_capture_on_commit_callbacks(execute=True):
            responses.append(client.post(RESET, {"email": email}))
    assert responses[0]["Location"] == responses[1]["Location"]
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_weak_new_password_is_refused_in_russian(client):
    user = make_user()
    path = password_reset_url(user=user).removeprefix(settings.SITE_URL)
    response = client.post(path, {"new_password1": "qwerty", "new_password2": "qwerty"})
    assert response.status_code == 200
    assert "Введённый пароль слишком короткий" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_expired_reset_link_is_refused(client):
    user = make_user()
    issued = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    with clock.frozen(issued):
        path = password_reset_url(user=user).removeprefix(settings.SITE_URL)
    later = issued + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)
    with clock.frozen(later):
        response = client.get(path)
    assert response.status_code == 400
    assert "Ссылка недействительна" in response.content.decode()


def test_garbage_reset_link_is_refused(client):
    response = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "not-a-token"]))
    assert response.status_code == 400
