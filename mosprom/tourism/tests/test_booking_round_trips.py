"""A rush attempt's statements through the API on PostgreSQL, outside a transaction as served:
the token check reads the session too (``TokenAuth(reading=…)``), so a booking is two
statements and a refusal of a session already full is one (docs/PERFORMANCE.md)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from mosprom.accounts.api_auth import read_along
from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.core.prepared import NOT_READ
from mosprom.tourism.models import Booking, Session
from mosprom.tourism.selectors import SESSION_FOR_BOOKING
from mosprom.tourism.tests.factories import make_session

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

API = "/api/v1/tourism"
PERSON = {"full_name": "Иванов Иван Иванович", "birth_date": "1990-05-17"}
# As served: the follow-up task is a row the booking's statement writes (not run inline).
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def book(client, path_id, headers):
    return client.post(
        f"{API}/sessions/{path_id}/bookings",
        data=json.dumps({"participants": [PERSON]}),
        content_type="application/json",
        headers=headers,
    )


def test_a_booking_is_two_statements_and_a_full_session_one(client, settings):
    settings.TASKS = DATABASE_TASKS
    session = make_session(capacity=1)
    first, second = bearer(make_user()), bearer(make_user())
    assert not connection.in_atomic_block

    with CaptureQueriesContext(connection) as queries:
        booked = book(client, session.pk, first)
    assert booked.status_code == 201, booked.content
    assert len(queries) == 2
    assert "accounts_apitoken" in queries[0]["sql"] and "tourism_session" in queries[0]["sql"]
    body = booked.json()
    assert body["session"]["id"] == session.pk and body["session"]["taken"] == 1
    assert body["session"]["season_name"] == session.season.name

    with CaptureQueriesContext(connection) as queries:
        refused = book(client, session.pk, second)
    assert refused.status_code == 409 and refused.json()["code"] == "sold_out"
    assert len(queries) == 1
    assert Session.objects.get(pk=session.pk).taken == 1


def test_a_bad_token_is_refused_whatever_the_session(client):
    session = make_session()
    for path_id in (session.pk, 10**12):
        response = book(client, path_id, {"Authorization": "Bearer mp_not-a-token"})
        assert response.status_code == 401
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("path_id", "status"),
    [(10**12, 404), (0, 422), (2**63, 422), ("12abc", 422), ("%EF%BC%91", 422)],
)
def test_a_path_that_is_not_a_session_answers_as_before(client, path_id, status):
    """An unknown id reads nothing with the token; one that is no id at all (zero, beyond
    bigint, not digits, a full-width digit) is left to the API's validation."""
    response = book(client, path_id, bearer(make_user()))
    assert response.status_code == status, response.content
    assert not Booking.objects.exists()


def test_the_view_takes_only_what_was_read_for_its_own_id():
    request = RequestFactory().post("/")
    assert read_along(request, SESSION_FOR_BOOKING, 5) is NOT_READ
    request.read_along = (SESSION_FOR_BOOKING, 5, None)
    assert read_along(request, SESSION_FOR_BOOKING, 5) is None
    assert read_along(request, SESSION_FOR_BOOKING, 6) is NOT_READ
    assert read_along(request, object(), 5) is NOT_READ
