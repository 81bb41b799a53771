"""Plays on our site: once per visitor, tour and Moscow day (``media.plays``)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from mosprom.core import clock
from mosprom.media.models import SitePlay
from mosprom.media.plays import play_record, visitor_hash
from mosprom.media.tests.factories import make_online_tour

MSK = dt.timezone(dt.timedelta(hours=3))
NOON = dt.datetime(2023, 6, 1, 12, 0, tzinfo=MSK)


@pytest.mark.django_db
def test_the_same_visitor_the_same_day_counts_once():
    tour = make_online_tour()

    first = play_record(tour=tour, identity="user:7", at=NOON)
    again = play_record(tour=tour, identity="user:7", at=NOON + dt.timedelta(hours=11, minutes=59))

    assert (first, again) == (True, False)
    assert SitePlay.objects.count() == 1


@pytest.mark.django_db
def test_the_next_moscow_day_counts_again():
    """23:59 and 00:01 Moscow time are two days, although both are the same UTC date."""
    tour = make_online_tour()
    late = dt.datetime(2023, 6, 1, 23, 59, tzinfo=MSK)

    assert play_record(tour=tour, identity="anon:1f0e", at=late)
    assert play_record(tour=tour, identity="anon:1f0e", at=late + dt.timedelta(minutes=2))

    assert sorted(SitePlay.objects.values_list("day", flat=True)) == [
        dt.date(2023, 6, 1),
        dt.date(2023, 6, 2),
    ]


@pytest.mark.django_db
def test_the_moscow_day_decides_not_the_utc_date():
    """01:00 Moscow on 2 June is 22:00 UTC on 1 June: the play belongs to 2 June."""
    tour = make_online_tour()

    play_record(tour=tour, identity="user:1", at=dt.datetime(2023, 6, 1, 22, 0, tzinfo=dt.UTC))

    assert SitePlay.objects.get().day == dt.date(2023, 6, 2)


@pytest.mark.django_db
def test_another_visitor_or_another_tour_counts():
    tour, other_tour = make_online_tour(), make_online_tour()

    assert play_record(tour=tour, identity="user:7", at=NOON)
    assert play_record(tour=tour, identity="user:8", at=NOON)
    assert play_record(tour=tour, identity="anon:7", at=NOON)
    assert play_record(tour=other_tour, identity="user:7", at=NOON)

    assert SitePlay.objects.filter(tour=tour).count() == 3
    assert SitePlay.objects.count() == 4


@pytest.mark.django_db
def test_a_reload_loop_counts_once():
    tour = make_online_tour()

    counted = [
        play_record(tour=tour, identity="anon:loop", at=NOON + dt.timedelta(seconds=n))
        for n in range(50)
    ]

    assert counted == [True] + [False] * 49
    assert SitePlay.objects.count() == 1


@pytest.mark.django_db
def test_without_a_moment_the_clock_decides():
    tour = make_online_tour()

    with clock.frozen(NOON):
        assert play_record(tour=tour, identity="user:3")

    play = SitePlay.objects.get()
    assert (play.day, play.at) == (dt.date(2023, 6, 1), NOON)


@pytest.mark.django_db
def test_a_duplicate_does_not_break_the_callers_transaction():
    """The insert runs in a savepoint: after a refused duplicate the caller can still write."""
    from django.db import transaction

    tour = make_online_tour()
    with transaction.atomic():
        play_record(tour=tour, identity="user:1", at=NOON)
        assert not play_record(tour=tour, identity="user:1", at=NOON)
        assert play_record(tour=tour, identity="user:2", at=NOON)

    assert SitePlay.objects.count() == 2


@pytest.mark.django_db
def test_the_stored_visitor_is_a_keyed_hash_without_the_identity():
    tour = make_online_tour()

    play_record(tour=tour, identity="user:424242", at=NOON)

    stored = SitePlay.objects.get().visitor
    assert stored == visitor_hash("user:424242")
    assert len(stored) == 64
    assert int(stored, 16) >= 0  # hex digits only
    assert "424242" not in stored
    assert "user" not in stored
    assert visitor_hash("user:424242") != visitor_hash("user:424243")


def test_the_hash_depends_on_the_secret_key(settings):
    before = visitor_hash("anon:abc")
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"

    assert visitor_hash("anon:abc") != before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "at"),
    [
        ({"is_published": False}, NOON),
        ({"published_on": dt.date(2023, 6, 2)}, NOON),  # published tomorrow
    ],
)
def test_an_unpublished_or_future_tour_is_refused(fields, at):
    tour = make_online_tour(**fields)

    with pytest.raises(ValidationError):
        play_record(tour=tour, identity="user:1", at=at)

    assert not SitePlay.objects.exists()


@pytest.mark.django_db
def test_a_tour_can_be_played_on_its_publication_day():
    tour = make_online_tour(published_on=dt.date(2023, 6, 1))

    assert play_record(tour=tour, identity="user:1", at=dt.datetime(2023, 6, 1, 0, 1, tzinfo=MSK))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_plays_of_one_visitor_count_once():
    """20 threads, each on its own connection, released together: exactly one row, one True."""
    tour = make_online_tour()
    workers = 20
    barrier = threading.Barrier(workers)

    def attempt(_n) -> bool | str:
        try:
            barrier.wait(timeout=30)
            return play_record(tour=tour, identity="user:race", at=NOON)
        except Exception as failure:  # any error would be a failed test below
            return f"error: {failure!r}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(attempt, range(workers)))

    assert results.count(True) == 1, results
    assert results.count(False) == workers - 1, results
    assert SitePlay.objects.filter(tour=tour).count() == 1
