"""Sign-up, the confirmation mail and its link (views.signup, confirm_email, confirm_resend)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from mosprom.accounts.links import confirmation_token_make
from mosprom.accounts.models import AuditAction, AuditEvent, Consent, User
from mosprom.accounts.selectors import consent_document_current
from mosprom.accounts.tests.conftest import link_in
from mosprom.accounts.tests.factories import make_consent_document, make_user
from mosprom.core import clock

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")
GOOD_PASSWORD = "Tokarnyi-Stanok-1955"


def signup_data(**overrides) -> dict:
    data = {
        "email": "Maria.Zavodskaya@Example.test",
        "first_name": "Мария",
        "last_name": "Заводская",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "consent": "on",
        "consent_document": consent_document_current().pk,
    }
    data.update(overrides)
    return data


def test_signup_page_links_the_current_consent_text(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("accounts:consent_current") in body
    assert "версия 1.0" in body  # the data migration's text is the current one


def test_signup_mails_a_link_that_confirms_and_logs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data(), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_sent")

    user = User.objects.get(email="maria.zavodskaya@example.test")
    assert user.email_confirmed_at is None
    assert user.role == "visitor"
    assert AuditEvent.objects.filter(action=AuditAction.SIGNUP, actor=user).exists()

    sent = client.get(response["Location"])
    assert "maria.zavodskaya@example.test" in sent.content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maria.zavodskaya@example.test"]
    assert "Подтвердите e-mail" in message.subject
    assert "Мария" in message.body
    path = link_in(message.body, "/accounts/confirm/")

    client.logout()
    confirmed = client.get(path, follow=True)
    assert confirmed.status_code == 200
    assert "Адрес подтверждён" in confirmed.content.decode()
    assert confirmed.context["user"].pk == user.pk  # logged in by the link
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.EMAIL_CONFIRMED, actor=user).count() == 1

    # A second click changes nothing and does not log anyone in again.
    client.logout()
    again = client.get(path)
    assert again.status_code == 302
    assert again["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(action=AuditAction.EMAIL_CONFIRMED, actor=user).count() == 1


def test_signup_records_consent_version_time_and_ip(client, django_capture_on_commit_callbacks):
    moment = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    with clock.frozen(moment), django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data(), REMOTE_ADDR="203.0.113.7")
    user = User.objects.get(email="maria.zavodskaya@example.test")
    (consent,) = Consent.objects.filter(user=user)
    assert consent.document.version == "1.0"
    assert consent.accepted_at == moment
    assert consent.ip_address == "203.0.113.7"
    event = AuditEvent.objects.get(action=AuditAction.CONSENT, actor=user)
    assert event.details["version"] == "1.0"
    assert event.ip_address == "203.0.113.7"


def test_signup_without_consent_is_refused(client):
    data = signup_data()
    del data["consent"]
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert "Без согласия на обработку персональных данных" in response.content.decode()
    assert not User.objects.exists()


def test_signup_against_an_outdated_consent_version_asks_to_read_the_new_one(client):
    old = consent_document_current()
    make_consent_document(version="2.0")
    response = client.post(SIGNUP, signup_data(consent_document=old.pk))
    assert response.status_code == 200
    assert "Текст согласия обновился" in response.content.decode()
    assert not User.objects.exists()


def test_duplicate_email_rerenders_with_typed_values(client):
    make_user(email="taken@example.test")
    response = client.post(
        SIGNUP, signup_data(email="Taken@Example.test", first_name="Пётр", last_name="Станков")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Этот e-mail уже зарегистрирован" in body
    assert 'value="Пётр"' in body
    assert 'value="Станков"' in body
    assert 'value="Taken@Example.test"' in body
    assert GOOD_PASSWORD not in body  # passwords are never echoed back
    assert User.objects.filter(email="taken@example.test").count() == 1


def test_weak_password_gets_russian_messages(client):
    response = client.post(SIGNUP, signup_data(password1="12345678", password2="12345678"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Введённый пароль слишком широко распространён" in body
    assert "Введённый пароль состоит только из цифр" in body
    assert not User.objects.exists()


def test_mismatched_passwords(client):
    response = client.post(SIGNUP, signup_data(password2=GOOD_PASSWORD + "x"))
    assert "Пароли не совпадают" in response.content.decode()
    assert not User.objects.exists()


def test_expired_link_offers_to_send_again(client):
    user = make_user(confirmed=False)
    issued = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    with clock.frozen(issued):
        token = confirmation_token_make(user=user)
    later = issued + dt.timedelta(seconds=settings.EMAIL_CONFIRMATION_MAX_AGE + 1)
    with clock.frozen(later):
        response = client.get(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 410
    body = response.content.decode()
    assert "Ссылка устарела" in body
    assert reverse("accounts:confirm_resend") in body
    assert f'value="{user.email}"' in body
    user.refresh_from_db()
    assert user.email_confirmed_at is None
    assert "_auth_user_id" not in client.session


def test_link_just_inside_its_lifetime_still_works(client):
    user = make_user(confirmed=False)
    issued = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    with clock.frozen(issued):
        token = confirmation_token_make(user=user)
    with clock.frozen(issued + dt.timedelta(seconds=settings.EMAIL_CONFIRMATION_MAX_AGE)):
        response = client.get(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_confirmed_at is not None


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: "junk"])
def test_tampered_link_is_refused(client, mangle):
    user = make_user(confirmed=False)
    token = mangle(confirmation_token_make(user=user))
    response = client.get(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 400
    assert "Ссылка недействительна" in response.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_link_for_a_changed_address_is_refused(client):
    user = make_user(confirmed=False)
    token = confirmation_token_make(user=user)
    User.objects.filter(pk=user.pk).update(email="other@example.test")
    response = client.get(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 400


def test_confirmation_brings_back_to_the_page_that_asked(
    client, django_capture_on_commit_callbacks
):
    next_url = "/enterprises/hosts/join/8b3c7f1e-2d35-4d6c-9d5c-0b1c2d3e4f50/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{SIGNUP}?next={next_url}", signup_data(next=next_url))
    path = link_in(mail.outbox[0].body, "/accounts/confirm/")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == next_url


def test_confirmation_ignores_an_external_next(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data(next="https://evil.example/"))
    response = client.get(link_in(mail.outbox[0].body, "/accounts/confirm/"))
    assert response["Location"] == reverse("accounts:profile")


def test_resend_does_not_reveal_whether_an_address_exists(
    client, django_capture_on_commit_callbacks
):
    unconfirmed = make_user(confirmed=False)
    confirmed = make_user()
    url = reverse("accounts:confirm_resend")
    answers = []
    for email in (unconfirmed.email, confirmed.email, "nobody@example.test"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"email": email}, follow=True)
        answers.append([str(m) for m in response.context["messages"]])
    assert answers[0] == answers[1] == answers[2]
    assert [m.to for m in mail.outbox] == [[unconfirmed.email]]


def test_logged_in_user_is_sent_from_signup_to_profile(client, visitor):
    client.force_login(visitor)
    response = client.get(SIGNUP)
    assert response["Location"] == reverse("accounts:profile")
