"""Lottery races on a real PostgreSQL: concurrent applications and draws, then count."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.db.models import Sum

from mosprom.core import clock
from mosprom.tourism import errors
from mosprom.tourism.booking import ParticipantData
from mosprom.tourism.lottery import lottery_apply, lottery_draw, lottery_verify
from mosprom.tourism.models import (
    AllocationMode,
    Booking,
    BookingStatus,
    LotteryApplication,
    LotteryDraw,
    SeasonAllowance,
)
from mosprom.tourism.tests.factories import ADULT_BIRTH_DATE, make_season, make_session
from mosprom.tourism.tests.test_booking_race import make_users

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


def in_threads(attempt, items) -> list[str]:
    barrier = threading.Barrier(len(items))

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

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(run, items))


def test_concurrent_applications_and_concurrent_draws_over_shared_quota():
    season = make_season(places_per_person=1)
    sessions = [
        make_session(season=season, capacity=5, mode=AllocationMode.LOTTERY) for _ in range(2)
    ]
    users = make_users(THREADS)

    def apply(pair) -> str:
        user, session = pair
        lottery_apply(
            user=user,
            session=session,
            participants=[ParticipantData(f"Гонщик {user.pk}", ADULT_BIRTH_DATE)],
        )
        return "applied"

    # Every user applies to both sessions at once (quota 1: a person may win only one).
    answers = in_threads(apply, [(u, s) for u in users for s in sessions])
    assert Counter(answers) == {"applied": 2 * THREADS}
    assert LotteryDraw.objects.filter(session__in=sessions).count() == 2
    closes = max(s.registration_closes_at() for s in sessions)
    with clock.frozen(closes + dt.timedelta(minutes=1)):
        drawn = in_threads(
            lambda s: lottery_draw(session=s).seed and "drawn", [*sessions, *sessions]
        )
    assert Counter(drawn) == {"drawn": 4}
    for session in sessions:
        session.refresh_from_db()
        active = Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
        assert session.taken == 5
        assert active.aggregate(n=Sum("places"))["n"] == 5
        assert lottery_verify(session=session) == []
    winners = Counter(
        Booking.objects.filter(session__in=sessions).values_list("user_id", flat=True)
    )
    assert len(winners) == 10 and max(winners.values()) == 1, "quota 1 holds across draws"
    assert SeasonAllowance.objects.filter(season=season, taken__gt=1).count() == 0
    assert LotteryApplication.objects.filter(status="won").count() == 10
