"""Abuse limits on booking (API and page) and the confirmed e-mail that booking needs.

Past a limit the API answers 429 ``{"detail", "code": "rate_limited"}`` and the site a page,
both with ``Retry-After``, and nothing is booked. The limiter adds no database query.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.core import clock
from mosprom.tourism.models import Booking, Session
from mosprom.tourism.tests.factories import make_season, make_session
from mosprom.tourism.tests.test_views_public import ADULT, booking_post

pytestmark = pytest.mark.django_db

API = "/api/v1/tourism"
PERSON = {"full_name": "Иванов Иван Иванович", "birth_date": "1990-05-17"}
# Registration is open (the factories open it a day before "now"); windows start on the hour.
START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {}
    settings.RATE_LIMIT_CACHE = "default"
    caches["default"].clear()
    yield settings
    caches["default"].clear()


@pytest.fixture
def frozen():
    with clock.frozen(START + dt.timedelta(seconds=30)) as moment:
        yield moment


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def book_api(client, session: Session, headers: dict, ip: str = "198.51.100.1"):
    return client.post(
        f"{API}/sessions/{session.pk}/bookings",
        data=json.dumps({"participants": [PERSON]}),
        content_type="application/json",
        headers=headers,
        REMOTE_ADDR=ip,
    )


def taken(session: Session) -> int:
    return Session.objects.values_list("taken", flat=True).get(pk=session.pk)


# --- API --------------------------------------------------------------------------------------


def test_api_booking_past_the_account_limit_is_429_and_books_nothing(client, limits, frozen):
    limits.RATE_LIMITS = {"booking": {"account": "2/m", "ip": None}}
    season = make_season()
    sessions = [make_session(season=season, capacity=5) for _ in range(3)]
    auth = bearer(make_user())

    assert book_api(client, sessions[0], auth).status_code == 201
    assert book_api(client, sessions[0], auth).status_code == 409  # refusals count too
    response = book_api(client, sessions[1], auth)

    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "Слишком много попыток подряд. Подождите 30 с и попробуйте снова.",
        "code": "rate_limited",
    }
    assert taken(sessions[1]) == 0
    # Another account is served.
    assert book_api(client, sessions[1], bearer(make_user())).status_code == 201


def test_api_booking_past_the_address_limit_is_429_for_every_account(client, limits, frozen):
    limits.RATE_LIMITS = {"booking": {"account": None, "ip": "2/m"}}
    session = make_session(capacity=10)

    for _ in range(2):
        assert book_api(client, session, bearer(make_user())).status_code == 201
    refused = book_api(client, session, bearer(make_user()))
    elsewhere = book_api(client, session, bearer(make_user()), ip="198.51.100.2")

    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert elsewhere.status_code == 201
    assert taken(session) == 3


def test_requests_without_a_valid_token_are_not_counted(client, limits, frozen):
    limits.RATE_LIMITS = {"booking": {"account": None, "ip": "1/m"}}
    session = make_session()

    for _ in range(3):
        assert book_api(client, session, {"Authorization": "Bearer mp_nope"}).status_code == 401
    assert book_api(client, session, bearer(make_user())).status_code == 201


def test_the_limit_is_documented_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    responses = schema["paths"][API + "/sessions/{id}/bookings"]
    assert "429" in responses["post"]["responses"]


def test_the_limiter_adds_no_database_query(client, limits, frozen):
    """Counted in the cache only: the same booking costs the same queries with limits on."""
    session = make_session(capacity=5)

    def queries_for_one_booking() -> int:
        auth = bearer(make_user())
        with CaptureQueriesContext(connection) as queries:
            assert book_api(client, session, auth).status_code == 201
        return len(queries)

    limits.RATE_LIMITS_ENABLED = False
    without = queries_for_one_booking()
    limits.RATE_LIMITS_ENABLED = True
    assert queries_for_one_booking() == without


# --- The booking page -------------------------------------------------------------------------


def test_booking_page_past_the_limit_answers_429_and_books_nothing(client, limits, frozen):
    limits.RATE_LIMITS = {"booking": {"account": "1/m", "ip": None}}
    visitor = make_user()
    client.force_login(visitor)
    first, second = make_session(), make_session()

    assert booking_post(client, first, [ADULT]).status_code == 302
    assert client.get(reverse("tourism:book", args=[second.pk])).status_code == 200  # not counted
    response = booking_post(client, second, [ADULT], key="k-2")

    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "<h1>Слишком много попыток</h1>" in page
    assert "Подождите 30 с и попробуйте снова." in page
    assert list(Booking.objects.filter(user=visitor).values_list("session", flat=True)) == [
        first.pk
    ]


# --- Confirmed e-mail -------------------------------------------------------------------------


def test_api_refuses_a_visitor_whose_email_is_not_confirmed(client):
    session = make_session()

    response = book_api(client, session, bearer(make_user(confirmed=False)))

    assert response.status_code == 403
    assert response.json()["code"] == "email_not_confirmed"
    assert "Подтвердите адрес электронной почты" in response.json()["detail"]
    assert taken(session) == 0


def test_page_refuses_a_visitor_whose_email_is_not_confirmed(client):
    session = make_session()
    visitor = make_user(confirmed=False)
    client.force_login(visitor)

    response = booking_post(client, session, [ADULT])

    assert response.status_code == 200
    assert "Подтвердите адрес электронной почты" in response.content.decode()
    assert not Booking.objects.filter(user=visitor).exists()
    assert taken(session) == 0
