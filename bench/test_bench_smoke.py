"""The benchmark's harness works end to end: bulk fixtures, the raw HTTP load generator against
a live server, the summary figures and the database's overbooking check.

A few hundred attempts, not a measurement (CI does not run `make bench`).
"""

import asyncio
import concurrent.futures

import pytest

from bench.fixtures import make_sessions, make_users, overbooking
from bench.load import run_load, summarise
from mosprom.tourism.models import Booking, SeasonAllowance, Session

SESSIONS, PLACES, ATTEMPTS = 5, 20, 240

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bench_settings(settings):
    # Every simulated visitor comes from 127.0.0.1: the per-IP limit is raised as in
    # bench/settings.py, with the limiter on; mail and tasks are not what is measured here.
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {"booking": {"ip": "1000000/m"}}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    return settings


def test_rush_smoke_sells_out_without_overbooking(live_server, bench_settings):
    tokens = make_users(count=ATTEMPTS)
    fixture = make_sessions(label="smoke", sessions=SESSIONS, places=PLACES)

    load = run_load(
        base=live_server.url,
        tokens=tokens,
        sessions=fixture["sessions"],
        attempts=ATTEMPTS,
        concurrency=16,
        deadline_s=50,
        timeout_s=20,
    )
    # Its own thread: Playwright's browser tests may leave an event loop in this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        run = pool.submit(asyncio.run, load).result()
    result = summarise(run)
    db = overbooking(season_id=fixture["season"])

    assert result["attempts"] == ATTEMPTS
    assert result["server_errors"] == 0, result["error_samples"]
    # The seeded plan sends more than 20 attempts to every session, so all sell out.
    assert result["confirmed"] == SESSIONS * PLACES
    assert set(result["codes"]) == {"201", "409/sold_out"}, result["error_samples"]
    assert result["codes"]["409/sold_out"] == ATTEMPTS - SESSIONS * PLACES
    assert result["confirmed_per_s"] > 0
    assert result["latency_ms"]["confirmed"]["p99"] is not None
    assert db["overbooked"] == 0
    assert db["confirmed_bookings"] == result["confirmed"]
    assert db["sessions_full"] == SESSIONS


def test_overbooking_check_sees_a_counter_that_drifted(bench_settings):
    tokens = make_users(count=3)
    fixture = make_sessions(label="drift", sessions=1, places=2)
    assert len(tokens) == 3
    assert overbooking(season_id=fixture["season"])["overbooked"] == 0

    # A counter that no longer matches the bookings (as a lost update would leave it).
    Session.objects.filter(pk=fixture["sessions"][0]).update(taken=1)
    db = overbooking(season_id=fixture["season"])
    assert db["session_counters_off"] == 1
    assert db["overbooked"] == 1
    assert not Booking.objects.exists()
    assert not SeasonAllowance.objects.exists()
