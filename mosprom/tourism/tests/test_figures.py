"""People who came to tours and master classes in a period (``tourism.figures.participants``)."""

from __future__ import annotations

import datetime as dt

import pytest

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.tourism.figures import participants
from mosprom.tourism.models import Booking, BookingStatus, SessionStatus
from mosprom.tourism.tests.factories import make_experience, make_season, make_session

pytestmark = pytest.mark.django_db

MSK = dt.timezone(dt.timedelta(hours=3))
NOW = dt.datetime(2023, 12, 20, 12, 0, tzinfo=MSK)


def book(session, places: int, *, status=BookingStatus.CONFIRMED, no_show=False) -> Booking:
    """A booking row written directly (the sessions are in the past; counters do not matter)."""
    return Booking.objects.create(
        session=session, user=make_user(), places=places, status=status, no_show=no_show
    )


def held_sessions():
    """Sessions around 2023 with bookings; the hand count for 2023 is in the tests below."""
    season = make_season(
        starts_on=dt.date(2022, 12, 1),
        ends_on=dt.date(2024, 1, 31),
        registration_opens_at=dt.datetime(2022, 11, 1, tzinfo=MSK),
    )
    excursion = make_experience()

    def session(starts_at, **fields):
        return make_session(experience=excursion, season=season, starts_at=starts_at, **fields)

    june = session(dt.datetime(2023, 6, 10, 11, 0, tzinfo=MSK))
    book(june, 3)  # came: 3
    book(june, 2, no_show=True)  # did not come
    book(june, 4, status=BookingStatus.CANCELLED)  # cancelled
    book(june, 1)  # came: 1

    march = session(dt.datetime(2023, 3, 1, 15, 0, tzinfo=MSK))
    book(march, 2)  # came: 2

    cancelled = session(
        dt.datetime(2023, 7, 1, 11, 0, tzinfo=MSK),
        status=SessionStatus.CANCELLED,
        cancelled_at=dt.datetime(2023, 6, 25, tzinfo=MSK),
    )
    book(cancelled, 5)  # the session did not take place

    before = session(dt.datetime(2022, 12, 31, 23, 30, tzinfo=MSK))  # 20:30 UTC: 2022
    book(before, 6)
    after = session(dt.datetime(2024, 1, 1, 0, 30, tzinfo=MSK))  # 21:30 UTC 31 Dec: 2024
    book(after, 7)

    coming = session(dt.datetime(2023, 12, 25, 11, 0, tzinfo=MSK))  # after NOW
    book(coming, 8)
    return {"june": june, "march": march, "coming": coming, "after": after}


def test_participants_in_a_year_on_a_hand_counted_set():
    held_sessions()

    with clock.frozen(NOW):
        assert participants(period=Period.year(2023)) == 3 + 1 + 2
        assert participants(period=Period.month(2023, 6)) == 4
        assert participants(period=Period.month(2023, 7)) == 0  # only the cancelled session
        assert participants(period=Period.year(2022)) == 6
        assert participants(period=Period.year(2024)) == 0  # not started by NOW


def test_sessions_count_once_they_have_started():
    held_sessions()

    with clock.frozen(dt.datetime(2024, 2, 1, tzinfo=MSK)):
        assert participants(period=Period.year(2023)) == 3 + 1 + 2 + 8
        assert participants(period=Period.year(2024)) == 7


def test_a_session_at_half_past_midnight_belongs_to_its_moscow_day():
    held_sessions()

    with clock.frozen(dt.datetime(2024, 2, 1, tzinfo=MSK)):
        assert participants(period=Period(dt.date(2022, 12, 31), dt.date(2022, 12, 31))) == 6
        assert participants(period=Period(dt.date(2024, 1, 1), dt.date(2024, 1, 1))) == 7


def test_no_sessions_give_zero():
    assert participants(period=Period.year(2023)) == 0


def test_participants_take_one_query(django_assert_num_queries):
    held_sessions()

    with clock.frozen(NOW), django_assert_num_queries(1):
        total = participants(period=Period.year(2023))

    assert total == 6
