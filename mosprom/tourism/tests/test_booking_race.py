"""Races on a real PostgreSQL: many threads, each with its own connection, then count.

The capacity and quota rules are guaranteed by conditional UPDATEs and CHECK constraints
(docs/adr/0004-capacity-counters.md); these tests try hard to break them.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.db.models import Sum

from mosprom.accounts.models import Role, User
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.tourism import booking_sql, errors
from mosprom.tourism.booking import booking_cancel, booking_create, session_cancel
from mosprom.tourism.models import (
    Booking,
    BookingStatus,
    SeasonAllowance,
    Session,
    WaitlistEntry,
    WaitlistStatus,
)
from mosprom.tourism.tests.factories import (
    make_booking,
    make_season,
    make_session,
    participants_for,
    use_dummy_tasks,
)
from mosprom.tourism.waitlist import waitlist_accept, waitlist_join

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True, params=["statement", "orm"])
def booking_path(request, monkeypatch):
    """Every rule on both write paths: PostgreSQL's one statement (``booking_sql``) and the
    ORM's (SQLite's; on SQLite both parameters run it)."""
    monkeypatch.setattr(booking_sql, "ENABLED", request.param == "statement")
    return request.param


WORKERS = 50
_emails = itertools.count(1)


def make_users(count: int) -> list[User]:
    now = clock.now()
    users = [
        User(
            email=f"racer{next(_emails)}@example.test",
            password="!",
            first_name="Гонщик",
            last_name=str(n),
            email_confirmed_at=now,
        )
        for n in range(count)
    ]
    return User.objects.bulk_create(users)


def race(attempt, items: list) -> list[str]:
    """Run ``attempt(item)`` for every item on WORKERS threads released in waves by a barrier.

    Each attempt answers a short tag; a TourismError becomes its code, anything else
    "error: …" (which the tests forbid). Every thread closes its own connection.
    """
    assert len(items) % WORKERS == 0, "waves must fill the barrier"
    barrier = threading.Barrier(WORKERS)

    def run(item) -> str:
        try:
            barrier.wait(timeout=30)
            return attempt(item)
        except errors.TourismError as refusal:
            return refusal.code
        except Exception as failure:
            return f"error: {failure!r}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(run, items))


def confirmed_places(**filters) -> int:
    booked = Booking.objects.filter(status=BookingStatus.CONFIRMED, **filters)
    return booked.aggregate(n=Sum("places"))["n"] or 0


def offered_places(session: Session) -> int:
    offers = WaitlistEntry.objects.filter(session=session, status=WaitlistStatus.OFFERED)
    return offers.aggregate(n=Sum("places"))["n"] or 0


def assert_counters_match(session: Session) -> None:
    session.refresh_from_db()
    assert session.taken <= session.capacity
    assert session.taken == confirmed_places(session=session) + offered_places(session)
    for allowance in SeasonAllowance.objects.filter(season_id=session.season_id):
        assert allowance.taken == confirmed_places(
            user_id=allowance.user_id, session__season_id=session.season_id
        ), f"allowance of user {allowance.user_id}"


def test_200_people_race_for_20_places(settings):
    use_dummy_tasks(settings)
    session = make_session(capacity=20)
    users = make_users(200)

    def attempt(user) -> str:
        try:
            booking_create(user=user, session=session, participants=participants_for(session))
        except errors.SoldOut:
            if user.pk % 2:
                waitlist_join(user=user, session=session, places=1)
                return "waitlisted"
            return "sold_out"
        return "booked"

    outcomes = Counter(race(attempt, users))

    assert set(outcomes) == {"booked", "sold_out", "waitlisted"}, outcomes  # no server error
    assert outcomes["booked"] == 20
    assert outcomes["sold_out"] + outcomes["waitlisted"] == 180
    session.refresh_from_db()
    assert session.taken == 20
    assert Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED).count() == 20
    waiting = WaitlistEntry.objects.filter(session=session, status=WaitlistStatus.WAITING)
    assert waiting.count() == outcomes["waitlisted"]
    assert_counters_match(session)


def test_one_person_racing_across_sessions_never_exceeds_the_season_quota(settings):
    use_dummy_tasks(settings)
    season = make_season(places_per_person=3)
    sessions = [make_session(season=season, capacity=5) for _ in range(WORKERS)]
    (user,) = make_users(1)

    def attempt(session) -> str:
        booking_create(user=user, session=session, participants=participants_for(session))
        return "booked"

    outcomes = Counter(race(attempt, sessions))

    assert outcomes == {"booked": 3, "quota_exceeded": WORKERS - 3}, outcomes
    assert SeasonAllowance.objects.get(user=user, season=season).taken == 3
    assert confirmed_places(user=user) == 3
    assert sum(Session.objects.filter(season=season).values_list("taken", flat=True)) == 3


def test_mixed_sizes_against_the_quota_never_exceed_it(settings):
    use_dummy_tasks(settings)
    season = make_season(places_per_person=5)
    sessions = [make_session(season=season, capacity=5) for _ in range(WORKERS)]
    (user,) = make_users(1)

    def attempt(session) -> str:
        places = 1 + session.pk % 2
        booking_create(user=user, session=session, participants=participants_for(session, places))
        return "booked"

    outcomes = Counter(race(attempt, sessions))

    assert set(outcomes) <= {"booked", "quota_exceeded"}, outcomes
    taken = SeasonAllowance.objects.get(user=user, season=season).taken
    assert taken == confirmed_places(user=user)
    assert 4 <= taken <= 5  # never over; at most one place left unused by a 2-place refusal


def test_retries_racing_with_one_idempotency_key_make_one_booking(settings):
    use_dummy_tasks(settings)
    session = make_session(capacity=20)
    (user,) = make_users(1)

    def attempt(_n) -> str:
        booking = booking_create(
            user=user,
            session=session,
            participants=participants_for(session, 2),
            idempotency_key="retry-me",
        )
        return f"booking {booking.pk}"

    outcomes = Counter(race(attempt, list(range(WORKERS))))

    (booking,) = Booking.objects.filter(session=session)
    assert outcomes == {f"booking {booking.pk}": WORKERS}, outcomes
    session.refresh_from_db()
    assert session.taken == 2
    assert SeasonAllowance.objects.get(user=user).taken == 2


def test_cancellations_racing_bookings_and_offers_keep_the_counters_true(settings):
    use_dummy_tasks(settings)
    session = make_session(capacity=20)
    holders = make_users(10)
    bookings = [make_booking(session=session, user=u, places=2) for u in holders]
    waiting = make_users(10)
    for n, user in enumerate(waiting):
        waitlist_join(user=user, session=session, places=1 + n % 2)
    newcomers = make_users(WORKERS - len(bookings))

    def first_round(item) -> str:
        if isinstance(item, Booking):
            booking_cancel(booking=item, actor=item.user)
            return "cancelled"
        booking_create(user=item, session=session, participants=participants_for(session))
        return "booked"

    items = [*bookings, *newcomers]
    outcomes = Counter(race(first_round, items))

    assert not [tag for tag in outcomes if tag.startswith("error")], outcomes
    assert outcomes["cancelled"] == 10
    assert_counters_match(session)
    offers = list(WaitlistEntry.objects.filter(session=session, status=WaitlistStatus.OFFERED))
    assert offers, "the freed places should have gone to the waitlist"

    # Second round: the offers are accepted while people cancel and others book again.
    still_booked = list(
        Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED).order_by("pk")
    )
    more = make_users(WORKERS - len(offers) - len(still_booked[:10]))

    def second_round(item) -> str:
        if isinstance(item, WaitlistEntry):
            entry = WaitlistEntry.objects.select_related("session", "user").get(pk=item.pk)
            waitlist_accept(entry=entry, participants=participants_for(session, entry.places))
            return "accepted"
        if isinstance(item, Booking):
            booking_cancel(booking=item, actor=item.user)
            return "cancelled"
        booking_create(user=item, session=session, participants=participants_for(session))
        return "booked"

    outcomes = Counter(race(second_round, [*offers, *still_booked[:10], *more]))

    assert not [tag for tag in outcomes if tag.startswith("error")], outcomes
    assert outcomes["accepted"] == len(offers)
    assert_counters_match(session)


def test_cancelling_a_session_while_people_book_leaves_nothing_behind(settings):
    use_dummy_tasks(settings)
    session = make_session(capacity=30)
    organiser = make_user(role=Role.ORGANISER)
    early = make_users(10)
    for user in early:
        make_booking(session=session, user=user)
    bookers = make_users(WORKERS - 1)

    def attempt(item) -> str:
        if item is None:
            session_cancel(session=session, actor=organiser, reason="Авария")
            return "cancelled it"
        booking_create(user=item, session=session, participants=participants_for(session))
        return "booked"

    outcomes = Counter(race(attempt, [*bookers[:25], None, *bookers[25:]]))

    assert set(outcomes) <= {"cancelled it", "booked", "session_cancelled", "sold_out"}, outcomes
    assert outcomes["cancelled it"] == 1
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert session.taken == 0
    assert not Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED).exists()
    assert set(SeasonAllowance.objects.values_list("taken", flat=True)) == {0}
