"""The first-come booking as one statement on PostgreSQL (``tourism.booking_sql``).

``test_booking.py`` and ``test_booking_race.py`` run every rule on this path and on the ORM's;
these tests cover what only this path has: a refusal found by the statement itself, after the
request's own read said there was room, must leave every counter as it was, and the answer's
counter comes from the statement.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mosprom.accounts.tests.factories import make_user
from mosprom.tourism import booking_sql, errors
from mosprom.tourism.booking import booking_create
from mosprom.tourism.models import Booking, BookingStatus, SeasonAllowance, Session, SessionStatus
from mosprom.tourism.tests.factories import (
    make_booking,
    make_season,
    make_session,
    participants_for,
    use_dummy_tasks,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _statement_path():
    assert booking_sql.available(), "PostgreSQL runs the statement path by default"


def _stale(session: Session) -> Session:
    """The session as a request read it before the others wrote."""
    return Session.objects.select_related("season", "experience").get(pk=session.pk)


def _allowance(user, season) -> int | None:
    return (
        SeasonAllowance.objects.filter(user=user, season=season)
        .values_list("taken", flat=True)
        .first()
    )


def test_a_confirmed_booking_is_one_statement_and_answers_the_counter(settings):
    use_dummy_tasks(settings)
    session = make_session(capacity=5)
    make_booking(session=session)
    user = make_user()
    with CaptureQueriesContext(connection) as queries:
        booking = booking_create(
            user=user, session=_stale(session), participants=participants_for(session, 2)
        )
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith("WITH")]
    assert len(writes) == 1 and "tourism_seasonallowance" in writes[0]
    # (Inside the test's transaction the booking's own is a savepoint; the ORM path adds
    # another around its INSERT.)
    assert len([q for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]) == 1
    assert booking.taken_after == 3 == Session.objects.get(pk=session.pk).taken
    assert [p.position for p in booking.participants.all()] == [0, 1]
    assert list(booking.participants.values_list("pk", flat=True)) == [
        p.pk for p in booking.participants.all()
    ]
    assert _allowance(user, session.season) == 2


def test_a_seat_refused_by_the_statement_leaves_the_allowance_untouched():
    session = make_session(capacity=1)
    read = _stale(session)  # taken 0: the request's short cut lets it through
    make_booking(session=session)
    user = make_user()
    with pytest.raises(errors.SoldOut):
        booking_create(user=user, session=read, participants=participants_for(session, 1))
    assert _allowance(user, session.season) is None  # the upsert was rolled back
    assert Session.objects.get(pk=session.pk).taken == 1
    assert not Booking.objects.filter(user=user).exists()


def test_a_seat_refused_after_an_existing_allowance_moved_is_rolled_back():
    season = make_season(places_per_person=3)
    first, full = make_session(season=season), make_session(season=season, capacity=1)
    user = make_user()
    make_booking(session=first, user=user)
    read = _stale(full)
    make_booking(session=full)
    with pytest.raises(errors.SoldOut):
        booking_create(user=user, session=read, participants=participants_for(full, 1))
    assert _allowance(user, season) == 1


def test_a_session_cancelled_after_the_read_is_refused_as_cancelled():
    session = make_session()
    read = _stale(session)
    Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
    user = make_user()
    with pytest.raises(errors.SessionCancelled):
        booking_create(user=user, session=read, participants=participants_for(session, 1))
    assert _allowance(user, session.season) is None


def test_already_booked_is_told_before_the_quota_it_also_exhausts():
    season = make_season(places_per_person=2)
    session = make_session(season=season)
    user = make_user()
    make_booking(session=session, user=user, places=2)
    with pytest.raises(errors.AlreadyBooked):
        booking_create(user=user, session=session, participants=participants_for(session, 1))


def test_quota_refusal_names_what_the_person_holds():
    season = make_season(places_per_person=2)
    user = make_user()
    make_booking(session=make_session(season=season), user=user, places=2)
    with pytest.raises(errors.QuotaExceeded) as refused:
        make_booking(session=make_session(season=season), user=user)
    assert "2" in refused.value.text
    assert _allowance(user, season) == 2


def test_no_shows_are_counted_by_the_statement():
    season = make_season(no_show_limit=2)
    user = make_user()
    for _ in range(2):
        booking = make_booking(session=make_session(season=season), user=user)
        Booking.objects.filter(pk=booking.pk).update(no_show=True)
    with pytest.raises(errors.NoShowLimited) as refused:
        make_booking(session=make_session(season=season), user=user)
    assert "2" in refused.value.text
    assert _allowance(user, season) == 2  # the two earlier bookings, nothing more


def test_a_clash_on_the_unique_index_is_already_booked_and_moves_nothing():
    session = make_session()
    user = make_user()
    read = _stale(session)
    make_booking(session=session, user=user)
    # The statement path reads no "already booked" before writing: the partial unique index
    # refuses the second row inside the statement, and the counters it moved go back.
    with pytest.raises(errors.AlreadyBooked):
        booking_create(user=user, session=read, participants=participants_for(session, 1))
    assert Session.objects.get(pk=session.pk).taken == 1
    assert _allowance(user, session.season) == 1
    assert Booking.objects.filter(user=user, status=BookingStatus.CONFIRMED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_statement_is_its_own_and_a_refused_seat_undoes_it():
    session = make_session(capacity=1)
    read = _stale(session)
    make_booking(session=session)
    user = make_user()
    assert not connection.in_atomic_block
    with CaptureQueriesContext(connection) as queries, pytest.raises(errors.SoldOut):
        booking_create(user=user, session=read, participants=participants_for(session, 1))
    assert not [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"]]
    assert _allowance(user, session.season) is None  # the failed statement took it back
    assert Session.objects.get(pk=session.pk).taken == 1
    booking = make_booking(session=make_session(season=session.season), user=user)
    assert booking.taken_after == 1 and _allowance(user, session.season) == 1
