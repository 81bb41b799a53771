"""The confirmation mail through a real SMTP server (the ``smtp_inbox`` fixture)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mosprom.accounts.models import User
from mosprom.accounts.selectors import consent_document_current
from mosprom.accounts.tests.conftest import link_in

pytestmark = pytest.mark.django_db


def test_signup_mail_goes_through_smtp_and_its_link_confirms(
    client, smtp_inbox, django_capture_on_commit_callbacks
):
    password = "Tokarnyi-Stanok-1955"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            {
                "email": "smtp.visitor@example.test",
                "first_name": "Семён",
                "last_name": "Почтовый",
                "password1": password,
                "password2": password,
                "consent": "on",
                "consent_document": consent_document_current().pk,
            },
        )
    assert response.status_code == 302

    (message,) = smtp_inbox.wait_for(1)
    assert message["To"] == "smtp.visitor@example.test"
    assert "Подтвердите e-mail" in str(message["Subject"])
    text = smtp_inbox.text_of(message)
    assert "Семён" in text
    client.logout()
    confirmed = client.get(link_in(text, "/accounts/confirm/"))
    assert confirmed.status_code == 302
    user = User.objects.get(email="smtp.visitor@example.test")
    assert user.email_confirmed_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
