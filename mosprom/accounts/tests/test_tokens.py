"""The API tokens page (views_profile.token_list) and tokens.api_token_user."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from mosprom.accounts.models import ApiToken, AuditAction, AuditEvent
from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create, api_token_user

pytestmark = pytest.mark.django_db

TOKENS = reverse("accounts:token_list")


def test_visitors_have_no_token_page(client, visitor):
    client.force_login(visitor)
    assert client.get(TOKENS).status_code == 403
    assert client.post(TOKENS, {"action": "create", "name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_anonymous_is_sent_to_login(client):
    assert client.get(TOKENS)["Location"].startswith(reverse("accounts:login"))


def test_create_shows_the_key_once(client, host):
    client.force_login(host)
    response = client.post(TOKENS, {"action": "create", "name": "Сайт завода"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    (key,) = re.findall(r'value="(mp_[^"]+)"', response.content.decode())
    token = ApiToken.objects.get(user=host)
    assert token.name == "Сайт завода"
    assert key.startswith(token.prefix)
    assert api_token_user(key=key) == host
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATED, actor=host).exists()

    listing = client.get(TOKENS).content.decode()
    assert "Сайт завода" in listing
    assert token.prefix in listing
    assert key not in listing


def test_revoke_asks_to_confirm_then_stops_the_token(client, organiser):
    token, key = api_token_create(user=organiser, name="Скрипт отчётов")
    client.force_login(organiser)

    confirm = client.get(f"{TOKENS}?revoke={token.pk}")
    assert "Отозвать токен «Скрипт отчётов»?" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # a GET changes nothing
    assert api_token_user(key=key) == organiser

    response = client.post(TOKENS, {"action": "revoke", "token": token.pk})
    assert response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_user(key=key) is None
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED, actor=organiser).exists()
    assert "отозван" in client.get(TOKENS).content.decode()


def test_cannot_revoke_someone_elses_token(client, host):
    other = make_user(role="host")
    token, key = api_token_create(user=other, name="Чужой")
    client.force_login(host)
    assert client.post(TOKENS, {"action": "revoke", "token": token.pk}).status_code == 404
    assert client.get(f"{TOKENS}?revoke={token.pk}").status_code == 404
    assert api_token_user(key=key) == other


def test_token_of_a_deactivated_user_stops_working(host):
    _, key = api_token_create(user=host, name="x")
    host.is_active = False
    host.save()
    assert api_token_user(key=key) is None


def test_token_list_is_paginated(client, host):
    for n in range(25):
        api_token_create(user=host, name=f"Токен {n}")
    client.force_login(host)
    first = client.get(TOKENS)
    assert len(first.context["page_obj"].object_list) == 20
    assert "Страница 1 из 2" in first.content.decode()


def test_last_used_is_recorded_at_most_once_a_minute():
    import datetime as dt

    from mosprom.core import clock

    token, key = api_token_create(user=make_user(role="host"), name="t")
    start = clock.now()
    with clock.frozen(start):
        assert api_token_user(key=key) is not None
    token.refresh_from_db()
    assert token.last_used_at == start
    with clock.frozen(start + dt.timedelta(seconds=30)):
        api_token_user(key=key)
    token.refresh_from_db()
    assert token.last_used_at == start  # within the minute: no write
    later = start + dt.timedelta(minutes=2)
    with clock.frozen(later):
        api_token_user(key=key)
    token.refresh_from_db()
    assert token.last_used_at == later


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_read_records_last_used_in_the_same_statement():
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mosprom.core import clock

    user = make_user(role="host")
    token, key = api_token_create(user=user, name="t")
    assert not connection.in_atomic_block
    with connection.cursor() as cursor:  # durable, as in production (the test cluster is not)
        cursor.execute("SET synchronous_commit TO on")
    start = clock.now()
    with clock.frozen(start), CaptureQueriesContext(connection) as queries:
        assert api_token_user(key=key) == user
    assert len(queries) == 1 and "UPDATE" in queries[0]["sql"]
    token.refresh_from_db()
    assert token.last_used_at == start
    with clock.frozen(start + dt.timedelta(seconds=30)):
        assert api_token_user(key=key) == user
    token.refresh_from_db()
    assert token.last_used_at == start  # within the minute: not moved
    with clock.frozen(start + dt.timedelta(minutes=2)):
        api_token_user(key=key)
    token.refresh_from_db()
    assert token.last_used_at == start + dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=start)
    assert api_token_user(key=key) is None
    with connection.cursor() as cursor:  # the relaxed flush ended with its statement
        cursor.execute("SHOW synchronous_commit")
        relaxed_after = cursor.fetchone()[0]
        cursor.execute("RESET synchronous_commit")
    assert relaxed_after == "on"
