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
from mosprom.accounts.models import ApiToken, User
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.core.prepared import NOT_READ
from mosprom.tourism.models import Booking, Session
from mosprom.tourism.selectors import SESSION_FOR_BOOKING
from mosprom.tourism.tests.factories import make_session
from mosprom.tourism.tests.test_api import API, PERSON, bearer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# As served: the follow-up task is a row the booking's statement writes (not run inline).
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


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


def _session_reads(queries) -> int:
    return sum("tourism_session" in q["sql"] for q in queries.captured_queries)


def test_a_token_that_is_not_live_is_refused_whatever_the_session(client):
    session = make_session()
    revoked_user, inactive_user = make_user(), make_user()
    revoked, inactive = bearer(revoked_user), bearer(inactive_user)
    ApiToken.objects.filter(user=revoked_user).update(revoked_at=clock.now())
    User.objects.filter(pk=inactive_user.pk).update(is_active=False)
    for headers in ({"Authorization": "Bearer mp_not-a-token"}, revoked, inactive):
        for path_id in (session.pk, 10**12):
            assert book(client, path_id, headers).status_code == 401
    assert not Booking.objects.exists()
    assert Session.objects.get(pk=session.pk).taken == 0


def test_an_unknown_session_is_read_once_with_the_token(client):
    headers = bearer(make_user())
    with CaptureQueriesContext(connection) as queries:
        response = book(client, 10**12, headers)
    assert response.status_code == 404
    assert len(queries) == 1 and "accounts_apitoken" in queries[0]["sql"]
    assert _session_reads(queries) == 1


@pytest.mark.parametrize("path_id", [0, 2**63, "12abc", "%EF%BC%91", "1" * 5000])
def test_a_path_that_is_no_id_reads_no_session_and_answers_as_before(client, path_id):
    """Zero, beyond bigint, not digits, a full-width digit, more digits than ``int`` takes:
    the token is read alone and the API's validation answers."""
    with CaptureQueriesContext(connection) as queries:
        response = book(client, path_id, bearer(make_user()))
    assert response.status_code == 422, response.content[:300]
    assert _session_reads(queries) == 0
    assert book(client, path_id, {"Authorization": "Bearer mp_nope"}).status_code == 401
    assert not Booking.objects.exists()


def test_the_view_takes_only_what_was_read_for_its_own_id():
    request = RequestFactory().post("/")
    assert read_along(request, SESSION_FOR_BOOKING, 5) is NOT_READ
    request._read_along = (SESSION_FOR_BOOKING, 5, None)
    assert read_along(request, SESSION_FOR_BOOKING, 5) is None
    assert read_along(request, SESSION_FOR_BOOKING, 6) is NOT_READ
    assert read_along(request, object(), 5) is NOT_READ
