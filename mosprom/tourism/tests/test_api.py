"""The tourism API under /api/v1/tourism/: sessions, bookings, waitlist, hosts' check-in.

Refusals carry the machine-readable code of ``tourism.errors`` and a Russian message; lists
keep a fixed number of queries; a schemathesis run against real rows finds no server error.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.accounts.tokens import api_token_create
from mosprom.core import clock
from mosprom.registry.tests.factories import make_enterprise, make_membership, make_site
from mosprom.tourism.booking import booking_cancel
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    ExperienceKind,
    IdRequirement,
    Session,
    WaitlistStatus,
)
from mosprom.tourism.tests.factories import (
    make_booking,
    make_experience,
    make_season,
    make_session,
)
from mosprom.tourism.tickets import ticket_token
from mosprom.tourism.waitlist import waitlist_join

pytestmark = pytest.mark.django_db

API = "/api/v1/tourism"
PERSON = {"full_name": "Иванов Иван Иванович", "birth_date": "1990-05-17"}


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def post(client, path: str, body: dict | None = None, **headers):
    return client.post(
        API + path,
        data=json.dumps(body or {}),
        content_type="application/json",
        headers=headers,
    )


def taken(session: Session) -> int:
    return Session.objects.values_list("taken", flat=True).get(pk=session.pk)


@pytest.fixture
def visitor():
    return make_user(first_name="Вера", last_name="Посетитель")


@pytest.fixture
def auth(visitor):
    return bearer(visitor)


# --- Sessions -------------------------------------------------------------------------------


def test_session_list_shows_availability(client):
    session = make_session(capacity=3)
    make_booking(session=session, places=2)

    response = client.get(f"{API}/sessions")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    experience = session.experience
    assert item["id"] == session.pk
    assert item["capacity"] == 3
    assert item["taken"] == 2
    assert item["places_left"] == 1
    assert item["availability"] == "open"
    assert item["status"] == "scheduled"
    assert item["experience"]["title"] == experience.title
    assert item["experience"]["kind"] == "excursion"
    assert item["experience"]["kind_name"] == "Экскурсия"
    assert item["experience"]["url"] == f"/tours/{experience.pk}/"
    assert item["enterprise_name"] == experience.enterprise.short_name
    assert item["address"] == experience.site.address
    assert item["season_name"] == session.season.name
    assert dt.datetime.fromisoformat(item["starts_at"]) == session.starts_at
    assert dt.datetime.fromisoformat(item["registration_closes_at"]) == (
        session.registration_closes_at()
    )


def test_session_list_filters(client):
    season = make_season()
    toys = make_enterprise(short_name="Игрушки", industry_code="32", okrug="VAO")
    chips = make_enterprise(short_name="Микросхемы", industry_code="26", okrug="ZELAO")
    master = make_experience(
        enterprise=toys, kind=ExperienceKind.MASTER_CLASS, min_age=7, step_free=True
    )
    tour = make_experience(enterprise=chips, site=make_site(chips, okrug="ZELAO"), min_age=14)
    day1 = clock.start_of_day(season.starts_on) + dt.timedelta(hours=11)
    early = make_session(experience=master, season=season, starts_at=day1)
    late = make_session(experience=tour, season=season, starts_at=day1 + dt.timedelta(days=3))
    full = make_session(
        experience=master, season=season, starts_at=day1 + dt.timedelta(days=5), capacity=1
    )
    make_booking(session=full)

    def ids(**params):
        response = client.get(f"{API}/sessions", params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [early.pk, late.pk, full.pk]
    assert ids(kind="master_class") == [early.pk, full.pk]
    assert ids(industry="26") == [late.pk]
    assert ids(okrug="ZELAO") == [late.pk]
    assert ids(age=10) == [early.pk, full.pk]
    assert ids(step_free="true") == [early.pk, full.pk]
    assert ids(places_left="true") == [early.pk, late.pk]
    first_day = season.starts_on.isoformat()
    assert ids(date_from=first_day, date_to=first_day) == [early.pk]
    assert ids(date_from=(season.starts_on + dt.timedelta(days=1)).isoformat()) == [
        late.pk,
        full.pk,
    ]
    sold_out = client.get(f"{API}/sessions/{full.pk}").json()
    assert sold_out["availability"] == "sold_out"
    assert sold_out["places_left"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "0"}, "date_from"),
        ({"date_to": "31.12.2026"}, "date_to"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"kind": "circus"}, "kind"),
        ({"okrug": "MARS"}, "okrug"),
        ({"industry": "2"}, "industry"),
        ({"age": "-1"}, "age"),
        ({"limit": "0"}, "limit"),
        ({"okrg": "CAO"}, "okrg"),  # a misspelt filter is refused, not ignored
    ],
)
def test_bad_filters_are_422_in_russian(client, params, field):
    response = client.get(f"{API}/sessions", params)

    assert response.status_code == 422
    errors = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert ("query", field) in errors
    assert all(any("а" <= ch <= "я" for ch in msg.lower()) for msg in errors.values())


def test_session_list_query_count_is_flat(client, django_assert_max_num_queries):
    season = make_season()
    for n in range(60):
        make_session(
            season=season,
            starts_at=clock.start_of_day(season.starts_on)
            + dt.timedelta(days=n % 10, hours=9 + n % 8),
        )

    with django_assert_max_num_queries(2):
        response = client.get(f"{API}/sessions", {"limit": 100})

    assert response.status_code == 200
    assert len(response.json()["items"]) == 60


def test_session_read_and_unknown(client):
    session = make_session()

    assert client.get(f"{API}/sessions/{session.pk}").json()["id"] == session.pk
    missing = client.get(f"{API}/sessions/987654")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Не найдено."
    assert client.get(f"{API}/sessions/abc").status_code == 422
    assert client.get(f"{API}/sessions/{2**64}").status_code == 422


def test_unpublished_experience_sessions_are_not_listed(client):
    hidden = make_session(experience=make_experience(is_published=False))

    assert client.get(f"{API}/sessions").json()["count"] == 0
    assert client.get(f"{API}/sessions/{hidden.pk}").status_code == 404


# --- Booking --------------------------------------------------------------------------------


def test_booking_needs_a_token(client):
    session = make_session()

    response = post(client, f"/sessions/{session.pk}/bookings", {"participants": [PERSON]})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert taken(session) == 0


def test_booking_is_created_with_its_ticket(client, visitor, auth, settings):
    settings.SITE_URL = "https://tours.example.test"
    session = make_session(capacity=5)

    response = post(
        client,
        f"/sessions/{session.pk}/bookings",
        {"participants": [PERSON, {"full_name": "Иванова Мария", "birth_date": "2014-03-01"}]},
        **auth,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    booking = Booking.objects.get(user=visitor)
    assert body["id"] == booking.pk
    assert body["code"] == booking.code
    assert body["status"] == "confirmed"
    assert body["places"] == 2
    assert body["session"]["id"] == session.pk
    assert body["session"]["taken"] == 2
    assert [p["full_name"] for p in body["participants"]] == [
        "Иванов Иван Иванович",
        "Иванова Мария",
    ]
    assert body["ticket_token"] == ticket_token(booking)
    assert body["ticket_url"] == f"https://tours.example.test/my/tickets/{booking.code}/"
    assert body["qr_url"] == f"https://tours.example.test/my/tickets/{booking.code}/qr.png"
    assert body["ics_url"] == f"https://tours.example.test/my/tickets/{booking.code}/ticket.ics"
    assert taken(session) == 2


def test_retry_with_the_same_idempotency_key_returns_the_first_answer(client, visitor, auth):
    session = make_session(capacity=5)
    path = f"/sessions/{session.pk}/bookings"
    body = {"participants": [PERSON]}

    first = post(client, path, body, **auth, **{"Idempotency-Key": "retry-7f3a"})
    again = post(client, path, body, **auth, **{"Idempotency-Key": "retry-7f3a"})
    other_key = post(client, path, body, **auth, **{"Idempotency-Key": "retry-other"})

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Booking.objects.filter(user=visitor).count() == 1
    assert taken(session) == 1
    assert other_key.status_code == 409
    assert other_key.json()["code"] == "already_booked"


def test_bad_idempotency_key_is_422(client, auth):
    session = make_session()

    response = post(
        client,
        f"/sessions/{session.pk}/bookings",
        {"participants": [PERSON]},
        **auth,
        **{"Idempotency-Key": "x" * 65},
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]


def _refusal(response, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body["detail"]


def test_sold_out(client, auth):
    session = make_session(capacity=1)
    make_booking(session=session)

    response = post(client, f"/sessions/{session.pk}/bookings", {"participants": [PERSON]}, **auth)

    assert "лист ожидания" in _refusal(response, 409, "sold_out")
    assert taken(session) == 1


def test_deadline_passed_and_not_open_yet(client, auth):
    session = make_session()
    late = session.registration_closes_at() + dt.timedelta(minutes=1)
    with clock.frozen(late):
        closed = post(
            client, f"/sessions/{session.pk}/bookings", {"participants": [PERSON]}, **auth
        )
    _refusal(closed, 409, "deadline_passed")

    future = make_session(season=make_season(registration_opens_at=clock.now() + dt.timedelta(1)))
    early = post(client, f"/sessions/{future.pk}/bookings", {"participants": [PERSON]}, **auth)
    assert "Запись ещё не открыта" in _refusal(early, 409, "registration_not_open")


def test_age_restricted_is_422_with_its_code(client, auth):
    session = make_session(experience=make_experience(min_age=14))
    child = {"full_name": "Иванов Пётр", "birth_date": "2020-01-01"}

    response = post(
        client, f"/sessions/{session.pk}/bookings", {"participants": [PERSON, child]}, **auth
    )

    assert "Иванов Пётр" in _refusal(response, 422, "age_restricted")
    assert taken(session) == 0


def test_passport_required_by_a_secure_plant(client, auth):
    session = make_session(experience=make_experience(id_requirement=IdRequirement.PASSPORT))
    path = f"/sessions/{session.pk}/bookings"

    _refusal(post(client, path, {"participants": [PERSON]}, **auth), 422, "identification_required")
    bad = post(client, path, {"participants": [PERSON | {"passport": "45 06"}]}, **auth)
    _refusal(bad, 422, "identification_required")
    ok = post(client, path, {"participants": [PERSON | {"passport": "45 06 123456"}]}, **auth)
    assert ok.status_code == 201
    assert "passport" not in json.dumps(ok.json()["participants"])


def test_quota_too_many_places_and_already_booked(client, visitor, auth):
    season = make_season(places_per_person=2)
    experience = make_experience(max_places_per_booking=2)
    first = make_session(season=season, experience=experience)
    second = make_session(
        season=season, experience=experience, starts_at=first.starts_at + dt.timedelta(days=1)
    )

    three = post(client, f"/sessions/{first.pk}/bookings", {"participants": [PERSON] * 3}, **auth)
    _refusal(three, 422, "too_many_places")
    assert (
        post(
            client, f"/sessions/{first.pk}/bookings", {"participants": [PERSON] * 2}, **auth
        ).status_code
        == 201
    )
    again = post(client, f"/sessions/{first.pk}/bookings", {"participants": [PERSON]}, **auth)
    _refusal(again, 409, "already_booked")
    over = post(client, f"/sessions/{second.pk}/bookings", {"participants": [PERSON]}, **auth)
    assert "не больше 2 мест" in _refusal(over, 409, "quota_exceeded")


def test_unconfirmed_email_is_403(client):
    session = make_session()
    auth = bearer(make_user(confirmed=False))

    response = post(client, f"/sessions/{session.pk}/bookings", {"participants": [PERSON]}, **auth)

    _refusal(response, 403, "email_not_confirmed")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"participants": []},
        {"participants": [{"full_name": ""}]},
        {"participants": [{"full_name": "Иван", "birth_date": "17.05.1990"}]},
        {"participants": [{"full_name": "Иван", "birth_date": 0}]},
        {"participants": [{"full_name": "Иван", "passport": "паспорт"}]},
        {"participants": [PERSON], "places": 3},
    ],
)
def test_malformed_booking_is_422_field_errors(client, auth, body):
    session = make_session()

    response = post(client, f"/sessions/{session.pk}/bookings", body, **auth)

    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)
    assert taken(session) == 0


def test_booking_unknown_session_is_404(client, auth):
    response = post(client, "/sessions/987654/bookings", {"participants": [PERSON]}, **auth)

    assert response.status_code == 404


# --- My bookings ----------------------------------------------------------------------------


def test_my_bookings_only_mine_with_flat_queries(
    client, visitor, auth, django_assert_max_num_queries
):
    season = make_season(places_per_person=60)
    for n in range(25):
        session = make_session(
            season=season,
            starts_at=clock.start_of_day(season.starts_on) + dt.timedelta(days=n % 10, hours=n),
        )
        make_booking(session=session, user=visitor, places=2)
    make_booking()  # somebody else's

    # the token (read and touch), the count, the page, the participants
    with django_assert_max_num_queries(5):
        response = client.get(f"{API}/bookings", {"limit": 100}, headers=auth)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 25
    assert all(len(item["participants"]) == 2 for item in body["items"])
    assert client.get(f"{API}/bookings").status_code == 401


def test_somebody_elses_booking_is_404(client, auth):
    other = make_booking()

    assert client.get(f"{API}/bookings/{other.pk}", headers=auth).status_code == 404
    assert post(client, f"/bookings/{other.pk}/cancel", **auth).status_code == 404
    assert Booking.objects.get(pk=other.pk).status == BookingStatus.CONFIRMED


def test_cancel_frees_the_places_and_repeats_harmlessly(client, visitor, auth):
    session = make_session(capacity=3)
    booking = make_booking(session=session, user=visitor, places=2)

    first = post(client, f"/bookings/{booking.pk}/cancel", **auth)
    again = post(client, f"/bookings/{booking.pk}/cancel", **auth)

    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == "cancelled"
    assert first.json()["cancelled_at"] is not None
    assert again.json() == first.json()
    assert taken(session) == 0
    assert client.get(f"{API}/bookings/{booking.pk}", headers=auth).json()["status"] == (
        "cancelled"
    )


def test_cancel_after_the_start_is_refused(client, visitor, auth):
    booking = make_booking(user=visitor)

    with clock.frozen(booking.session.starts_at + dt.timedelta(minutes=5)):
        response = post(client, f"/bookings/{booking.pk}/cancel", **auth)

    _refusal(response, 409, "not_cancellable")


# --- Waitlist -------------------------------------------------------------------------------


def test_waitlist_join_offer_accept(client, visitor, auth):
    session = make_session(capacity=2)
    holder = make_booking(session=session, places=2)

    not_full = post(client, f"/sessions/{make_session().pk}/waitlist", {"places": 1}, **auth)
    _refusal(not_full, 409, "places_available")
    joined = post(client, f"/sessions/{session.pk}/waitlist", {"places": 2}, **auth)
    assert joined.status_code == 201, joined.content
    entry_id = joined.json()["id"]
    assert joined.json()["status"] == "waiting"
    assert joined.json()["session"]["availability"] == "sold_out"
    twice = post(client, f"/sessions/{session.pk}/waitlist", {"places": 1}, **auth)
    _refusal(twice, 409, "already_waiting")

    booking_cancel(booking=holder, actor=holder.user)  # the places are offered to the visitor
    (mine,) = client.get(f"{API}/waitlist", headers=auth).json()["items"]
    assert mine["id"] == entry_id
    assert mine["status"] == "offered"
    assert mine["offer_expires_at"] is not None

    accepted = post(client, f"/waitlist/{entry_id}/accept", {"participants": [PERSON] * 2}, **auth)
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["places"] == 2
    assert accepted.json()["session"]["id"] == session.pk
    assert taken(session) == 2
    assert client.get(f"{API}/waitlist", headers=auth).json()["count"] == 0


def test_waitlist_leave_and_decline(client, visitor, auth):
    session = make_session(capacity=1)
    holder = make_booking(session=session)
    entry = waitlist_join(user=visitor, session=session, places=1)

    left = post(client, f"/waitlist/{entry.pk}/leave", **auth)
    assert left.status_code == 200
    assert left.json()["status"] == WaitlistStatus.LEFT

    again = waitlist_join(user=visitor, session=session, places=1)
    booking_cancel(booking=holder, actor=holder.user)
    assert taken(session) == 1  # held for the offer
    declined = post(client, f"/waitlist/{again.pk}/decline", **auth)
    assert declined.status_code == 200
    assert declined.json()["status"] == WaitlistStatus.DECLINED
    assert taken(session) == 0


def test_offer_expired_is_refused_on_accept(client, visitor, auth):
    session = make_session(capacity=1)
    holder = make_booking(session=session)
    entry = waitlist_join(user=visitor, session=session, places=1)
    booking_cancel(booking=holder, actor=holder.user)
    entry.refresh_from_db()

    with clock.frozen(entry.offer_expires_at + dt.timedelta(minutes=1)):
        response = post(client, f"/waitlist/{entry.pk}/accept", {"participants": [PERSON]}, **auth)

    _refusal(response, 409, "offer_expired")


def test_my_waitlist_query_count_is_flat(client, visitor, auth, django_assert_max_num_queries):
    season = make_season()
    for n in range(20):
        session = make_session(
            season=season,
            capacity=1,
            starts_at=clock.start_of_day(season.starts_on) + dt.timedelta(days=n % 10, hours=n),
        )
        make_booking(session=session)
        waitlist_join(user=visitor, session=session, places=1)

    # the token (read and touch), the count, the page
    with django_assert_max_num_queries(4):
        response = client.get(f"{API}/waitlist", {"limit": 100}, headers=auth)

    assert response.json()["count"] == 20
    assert {item["status"] for item in response.json()["items"]} == {"waiting"}


def test_somebody_elses_waitlist_entry_is_404(client, auth):
    session = make_session(capacity=1)
    make_booking(session=session)
    entry = waitlist_join(user=make_user(), session=session, places=1)

    assert post(client, f"/waitlist/{entry.pk}/leave", **auth).status_code == 404
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING


# --- Hosts ----------------------------------------------------------------------------------


@pytest.fixture
def secure_session():
    experience = make_experience(id_requirement=IdRequirement.PASSPORT)
    return make_session(experience=experience, capacity=40)


@pytest.fixture
def own_host(secure_session):
    host = make_user(role=Role.HOST)
    make_membership(host, secure_session.experience.enterprise)
    return host


def test_attendees_for_the_host_with_masked_passports(client, secure_session, own_host):
    booking = make_booking(session=secure_session, places=2)
    cancelled = make_booking(session=secure_session)
    booking_cancel(booking=cancelled, actor=cancelled.user)

    response = client.get(
        f"{API}/host/sessions/{secure_session.pk}/attendees", headers=bearer(own_host)
    )

    assert response.status_code == 200
    (row,) = response.json()["items"]
    assert row["code"] == booking.code
    assert row["booker_email"] == booking.user.email
    assert [p["passport_masked"] for p in row["participants"]] == ["45 ** ****56"] * 2
    assert "123456" not in response.content.decode()


def test_attendees_refused_to_others(client, secure_session):
    path = f"{API}/host/sessions/{secure_session.pk}/attendees"
    other_host = make_user(role=Role.HOST)
    make_membership(other_host, make_enterprise())

    assert client.get(path, headers=bearer(make_user())).status_code == 403
    assert client.get(path, headers=bearer(other_host)).status_code == 403
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer(make_user(role=Role.ORGANISER))).status_code == 200


def test_attendees_query_count_is_flat(
    client, secure_session, own_host, django_assert_max_num_queries
):
    for _ in range(30):
        make_booking(session=secure_session)
    auth = bearer(own_host)

    # token (2), the session and the membership checks (3), count, page, participants
    with django_assert_max_num_queries(8):
        response = client.get(
            f"{API}/host/sessions/{secure_session.pk}/attendees", {"limit": 100}, headers=auth
        )

    assert response.json()["count"] == 30


def test_checkin_by_qr_token_then_already_used(client, secure_session, own_host):
    booking = make_booking(session=secure_session, places=2)
    auth = bearer(own_host)
    path = f"/host/sessions/{secure_session.pk}/checkin"

    first = post(client, path, {"code": ticket_token(booking)}, **auth)
    second = post(client, path, {"code": booking.code.lower()}, **auth)

    assert first.status_code == 200
    assert first.json()["result"] == "valid"
    assert first.json()["code"] == booking.code
    assert first.json()["places"] == 2
    assert first.json()["participants"] == ["Участник Тестовый 1", "Участник Тестовый 2"]
    assert "действителен" in first.json()["message"]
    assert second.json()["result"] == "already_used"
    assert second.json()["checked_in_at"] == first.json()["checked_in_at"]


def test_checkin_wrong_session_cancelled_and_unknown(client, secure_session, own_host):
    auth = bearer(own_host)
    path = f"/host/sessions/{secure_session.pk}/checkin"
    elsewhere = make_booking(
        session=make_session(
            experience=secure_session.experience,
            starts_at=secure_session.starts_at + dt.timedelta(days=1),
        )
    )
    cancelled = make_booking(session=secure_session)
    booking_cancel(booking=cancelled, actor=cancelled.user)

    wrong = post(client, path, {"code": elsewhere.code}, **auth).json()
    assert wrong["result"] == "wrong_session"
    assert wrong["participants"] == []  # not this session's list
    assert post(client, path, {"code": cancelled.code}, **auth).json()["result"] == "cancelled"
    assert post(client, path, {"code": "NOSUCH22"}, **auth).json()["result"] == "unknown"
    assert post(client, path, {"code": "not-a-token"}, **auth).json()["result"] == "unknown"
    assert Booking.objects.get(pk=elsewhere.pk).checked_in_at is None


def test_checkin_is_for_the_sessions_hosts(client, secure_session):
    booking = make_booking(session=secure_session)
    path = f"/host/sessions/{secure_session.pk}/checkin"

    assert post(client, path, {"code": booking.code}, **bearer(make_user())).status_code == 403
    assert post(client, path, {"code": booking.code}).status_code == 401
    assert Booking.objects.get(pk=booking.pk).checked_in_at is None


# --- Nothing makes it fail ------------------------------------------------------------------

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex="^/api/v1/tourism/"
)
# The test sends its own token: a generated case "without Authorization" would still reach the
# API authenticated, and be reported as a wrongly accepted request.
schema.config.generation.update(with_security_parameters=False)


@pytest.fixture
def real_ids(db, keep_the_test_connection):
    """Rows the generated requests are pointed at, and an organiser's token for the writes."""
    organiser = make_user(role=Role.ORGANISER)
    secure = make_session(experience=make_experience(id_requirement=IdRequirement.PASSPORT))
    full = make_session(capacity=1)
    open_ = make_session(capacity=30, experience=make_experience(min_age=7))
    booking = make_booking(session=open_, user=organiser)
    make_booking(session=full)
    entry = waitlist_join(user=organiser, session=full, places=1)
    make_booking(session=secure, places=2)
    return {
        "sessions": [secure.pk, full.pk, open_.pk],
        "bookings": [booking.pk],
        "waitlist": [entry.pk],
        "headers": bearer(organiser),
    }


def _point_at_real_rows(case, ids) -> None:
    """Most generated ids would be 404; map valid ones onto rows that exist."""
    value = (case.path_parameters or {}).get("id")
    if type(value) is not int or not 1 <= value < 2**63:  # bool is an int, but negative data
        return
    path = case.path
    pool = (
        ids["bookings"]
        if path.startswith("/api/v1/tourism/bookings")
        else ids["waitlist"]
        if path.startswith("/api/v1/tourism/waitlist")
        else ids["sessions"]
    )
    case.path_parameters["id"] = pool[value % len(pool)]


@schema.parametrize()
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_tourism_api_answers_as_documented_on_real_rows(case, real_ids):
    _point_at_real_rows(case, real_ids)
    case.call_and_validate(
        headers=real_ids["headers"],
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            negative_data_rejection,
        ],
    )
