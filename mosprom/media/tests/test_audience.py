"""Reach per channel and the programme's audience formula (``media.audience``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.core.periods import Period, parse_period
from mosprom.games.models import Game, TeamStatus
from mosprom.games.tests.factories import make_game, make_team
from mosprom.media.audience import audience, reach_delete, reach_set
from mosprom.media.models import Reach, ReachChannel, SitePlay
from mosprom.media.plays import visitor_hash
from mosprom.media.tests.factories import make_online_tour, make_platform_views, make_reach
from mosprom.tourism.models import Booking, BookingStatus, SessionStatus
from mosprom.tourism.tests.factories import make_experience, make_season, make_session

pytestmark = pytest.mark.django_db

MSK = dt.timezone(dt.timedelta(hours=3))
NOW = dt.datetime(2023, 12, 20, 12, 0, tzinfo=MSK)
Y2023 = Period.year(2023)


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


# --- Reach ----------------------------------------------------------------------------------


def test_reach_is_created_then_updated_for_the_same_period(organiser):
    reach, created = reach_set(
        actor=organiser, channel="social", period=Y2023, value=1000, note="VK и Telegram"
    )
    again, created_again = reach_set(actor=organiser, channel="social", period=Y2023, value=1500)

    assert (created, created_again) == (True, False)
    assert again.pk == reach.pk
    reach.refresh_from_db()
    assert (reach.value, reach.note, reach.entered_by) == (1500, "", organiser)
    events = AuditEvent.objects.filter(action=AuditAction.FIGURES_CHANGED).order_by("id")
    assert [(e.details["op"], e.details["value"]) for e in events] == [
        ("create", 1000),
        ("update", 1500),
    ]


@pytest.mark.parametrize(("stored", "new"), [("2023", "2023-05"), ("2023-05", "2023-H1")])
def test_overlapping_reach_of_a_channel_is_refused(organiser, stored, new):
    make_reach(ReachChannel.MEDIA, period=parse_period(stored), value=10)

    with pytest.raises(ValidationError) as refused:
        reach_set(actor=organiser, channel="media", period=parse_period(new), value=5)

    assert parse_period(stored).label in refused.value.message_dict["period"][0]
    assert Reach.objects.count() == 1


def test_other_channels_do_not_overlap(organiser):
    make_reach(ReachChannel.MEDIA, period=Y2023, value=10)

    reach_set(actor=organiser, channel="social", period=Period.month(2023, 5), value=5)

    assert Reach.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"channel": "online_views"}, "channel"),  # counted, never typed
        ({"channel": "participants"}, "channel"),
        ({"value": -1}, "value"),
        ({"value": "много"}, "value"),
        ({"value": None}, "value"),
        ({"note": "ы" * 501}, "note"),
        ({"period": "2023"}, "period"),  # a Period, not text
    ],
)
def test_bad_reach_is_refused(organiser, fields, field):
    arguments = {"channel": "social", "period": Y2023, "value": 5} | fields

    with pytest.raises(ValidationError) as refused:
        reach_set(actor=organiser, **arguments)

    assert field in refused.value.message_dict
    assert not Reach.objects.exists()


def test_reach_is_deleted(organiser):
    reach = make_reach(period=Y2023, value=7)

    reach_delete(actor=organiser, reach=reach)

    assert not Reach.objects.exists()
    assert AuditEvent.objects.get().details == {
        "object": "reach",
        "op": "delete",
        "channel": "social",
        "period": "2023",
        "value": 7,
    }


# --- The formula ----------------------------------------------------------------------------


def book(session, places, **fields):
    return Booking.objects.create(session=session, user=make_user(), places=places, **fields)


@pytest.fixture
def known_set():
    """Every source of the audience, inside and outside 2023 (hand count in the test)."""
    # Reach typed by organisers.
    make_reach(ReachChannel.SITE_VISITORS, period=Y2023, value=1_000_000)
    make_reach(ReachChannel.SITE_VISITORS, period=Period.year(2022), value=999)  # outside
    make_reach(ReachChannel.SOCIAL, period=Period.half(2023, 1), value=200_000)
    make_reach(ReachChannel.SOCIAL, period=Period.half(2023, 2), value=300_000)
    make_reach(  # crosses the year's end: in no year
        ReachChannel.SOCIAL, period=Period(dt.date(2023, 12, 1), dt.date(2024, 1, 31)), value=77
    )
    make_reach(ReachChannel.MEDIA, period=Period.month(2023, 5), value=50_000)
    make_reach(ReachChannel.MEDIA, period=Period.year(2024), value=1)  # outside

    # Online views: site plays and platform counts.
    tour = make_online_tour()
    for n, day in enumerate([dt.date(2023, 1, 1), dt.date(2023, 6, 1), dt.date(2023, 12, 31)]):
        SitePlay.objects.create(tour=tour, day=day, visitor=visitor_hash(f"user:{n}"))
    SitePlay.objects.create(tour=tour, day=dt.date(2022, 12, 31), visitor=visitor_hash("x"))
    make_platform_views(tour, Y2023, 10_000, platform="rutube")
    make_platform_views(tour, Period.quarter(2023, 3), 2_500, platform="vk")
    make_platform_views(tour, Period.year(2022), 9, platform="ok")  # outside

    # Tourism: places of people who came.
    season = make_season(
        starts_on=dt.date(2023, 1, 1),
        ends_on=dt.date(2023, 12, 31),
        registration_opens_at=dt.datetime(2022, 12, 1, tzinfo=MSK),
    )
    experience = make_experience()
    held = make_session(
        experience=experience, season=season, starts_at=dt.datetime(2023, 6, 10, 11, tzinfo=MSK)
    )
    book(held, 3)  # came
    book(held, 2, no_show=True)  # no-show
    book(held, 4, status=BookingStatus.CANCELLED)  # cancelled booking
    called_off = make_session(
        experience=experience,
        season=season,
        starts_at=dt.datetime(2023, 7, 1, 11, tzinfo=MSK),
        status=SessionStatus.CANCELLED,
    )
    book(called_off, 5)  # cancelled session
    coming = make_session(
        experience=experience, season=season, starts_at=dt.datetime(2023, 12, 25, 11, tzinfo=MSK)
    )
    book(coming, 6)  # not held yet at NOW

    # Games: players of registered teams of games held.
    with clock.frozen(NOW):
        game = make_game(starts_at=dt.datetime(2023, 10, 5, 19, tzinfo=MSK))
        Game.objects.filter(pk=game.pk).update(results_published_at=NOW)
        make_team(game=game, members=["А", "Б", "В", "Г"])  # 4
        make_team(game=game, members=["Д", "Е"], status=TeamStatus.WITHDRAWN)
        old = make_game(starts_at=dt.datetime(2022, 10, 5, 19, tzinfo=MSK))
        make_team(game=old, members=["Ж", "З", "И"])  # outside


def test_the_formula_on_a_known_set(known_set):
    with clock.frozen(NOW):
        result = audience(period=Y2023)

    parts = {part.key: part for part in result.parts}
    assert [part.key for part in result.parts] == [
        "site_visitors",
        "social",
        "media",
        "online_views",
        "participants",
    ]
    assert parts["site_visitors"].value == 1_000_000
    assert parts["social"].value == 200_000 + 300_000
    assert parts["media"].value == 50_000
    assert parts["online_views"].value == 3 + 10_000 + 2_500
    assert dict(parts["online_views"].details) == {"site": 3, "platforms": 12_500}
    assert parts["participants"].value == 3 + 4
    assert dict(parts["participants"].details) == {"tourism": 3, "games": 4}
    assert result.total == 1_000_000 + 500_000 + 50_000 + 12_503 + 7 == 1_562_510
    assert result.period == Y2023
    assert result.part("media").label == "СМИ"


def test_typed_parts_and_counted_parts_are_marked(known_set):
    with clock.frozen(NOW):
        result = audience(period=Y2023)

    assert {part.key: part.counted for part in result.parts} == {
        "site_visitors": False,
        "social": False,
        "media": False,
        "online_views": True,
        "participants": True,
    }
    assert all(part.source and part.label for part in result.parts)


def test_a_shorter_period_takes_only_what_lies_wholly_inside(known_set):
    with clock.frozen(NOW):
        first_half = audience(period=Period.half(2023, 1))
        may = audience(period=Period.month(2023, 5))

    # H1: social H1 + media May + plays on 1 Jan and 1 Jun + the June session.
    assert [part.value for part in first_half.parts] == [0, 200_000, 50_000, 2, 3]
    assert first_half.total == 250_005
    assert [part.value for part in may.parts] == [0, 0, 50_000, 0, 0]


def test_an_empty_period_is_zero_with_every_part_shown():
    result = audience(period=Period.year(2019))

    assert result.total == 0
    assert len(result.parts) == 5


def test_the_audience_takes_a_bounded_number_of_queries(known_set, django_assert_max_num_queries):
    with clock.frozen(NOW), django_assert_max_num_queries(7):
        result = audience(period=Y2023)

    assert result.total == 1_562_510
