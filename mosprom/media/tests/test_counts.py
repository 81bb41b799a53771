"""Platform view counts and the view totals (``media.counts``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mosprom.accounts.models import AuditAction, AuditEvent, Role
from mosprom.accounts.tests.factories import make_user
from mosprom.core.periods import Period, parse_period
from mosprom.media.counts import (
    ViewTotals,
    platform_views_delete,
    platform_views_set,
    tour_views,
    views_total,
)
from mosprom.media.models import CountSource, PlatformViews, SitePlay
from mosprom.media.plays import visitor_hash
from mosprom.media.tests.factories import make_online_tour, make_platform_views

pytestmark = pytest.mark.django_db

Y2023 = Period.year(2023)
MAY = Period.month(2023, 5)


@pytest.fixture
def organiser():
    return make_user(role=Role.ORGANISER)


def plays(tour, day: dt.date, count: int) -> None:
    SitePlay.objects.bulk_create(
        SitePlay(tour=tour, day=day, visitor=visitor_hash(f"anon:{tour.pk}:{day}:{n}"))
        for n in range(count)
    )


# --- Setting counts -------------------------------------------------------------------------


def test_a_count_is_created_then_updated_for_the_same_period(organiser):
    tour = make_online_tour()

    row, created = platform_views_set(
        actor=organiser, tour=tour, platform="rutube", period=MAY, views=1200
    )
    again, created_again = platform_views_set(
        actor=organiser, tour=tour, platform="rutube", period=MAY, views=1500
    )

    assert (created, created_again) == (True, False)
    assert again.pk == row.pk
    row.refresh_from_db()
    assert (row.views, row.period, row.entered_by, row.source) == (
        1500,
        MAY,
        organiser,
        CountSource.MANUAL,
    )
    events = AuditEvent.objects.filter(action=AuditAction.FIGURES_CHANGED).order_by("id")
    assert [(e.details["op"], e.details["views"], e.details["before"]) for e in events] == [
        ("create", 1200, None),
        ("update", 1500, 1200),
    ]


def test_the_same_period_on_other_platforms_or_tours_is_separate(organiser):
    tour, other = make_online_tour(), make_online_tour()

    platform_views_set(actor=organiser, tour=tour, platform="rutube", period=Y2023, views=1)
    platform_views_set(actor=organiser, tour=tour, platform="vk", period=Y2023, views=2)
    platform_views_set(actor=organiser, tour=other, platform="rutube", period=Y2023, views=3)

    assert PlatformViews.objects.count() == 3


@pytest.mark.parametrize(
    ("stored", "new"),
    [
        ("2023", "2023-05"),  # a month inside a stored year
        ("2023-05", "2023"),  # a year around a stored month
        ("2023-Q2", "2023-H1"),
        ("2023-05", "2023-05-01..2023-05-15"),  # same start, other end
        ("2023-01-01..2023-06-30", "2023-06-30..2023-07-31"),  # one shared day
    ],
)
def test_an_overlapping_other_period_is_refused(organiser, stored, new):
    tour = make_online_tour()
    make_platform_views(tour, parse_period(stored), 100, platform="vk")

    with pytest.raises(ValidationError) as refused:
        platform_views_set(
            actor=organiser, tour=tour, platform="vk", period=parse_period(new), views=5
        )

    message = refused.value.message_dict["period"][0]
    assert "пересекаются с уже внесёнными за" in message
    assert parse_period(stored).label in message
    assert PlatformViews.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_adjacent_periods_are_accepted(organiser):
    tour = make_online_tour()
    platform_views_set(actor=organiser, tour=tour, platform="vk", period=MAY, views=1)

    platform_views_set(
        actor=organiser, tour=tour, platform="vk", period=Period.month(2023, 6), views=2
    )
    platform_views_set(
        actor=organiser, tour=tour, platform="vk", period=Period.month(2023, 4), views=3
    )

    assert PlatformViews.objects.count() == 3


@pytest.mark.parametrize("platform", ["site", "tiktok", ""])
def test_only_external_platforms_take_counts(organiser, platform):
    with pytest.raises(ValidationError) as refused:
        platform_views_set(
            actor=organiser, tour=make_online_tour(), platform=platform, period=MAY, views=1
        )

    assert "platform" in refused.value.message_dict


@pytest.mark.parametrize("views", [-1, "минус", 1.5, None, True, 10**13])
def test_views_must_be_a_non_negative_whole_number(organiser, views):
    with pytest.raises(ValidationError) as refused:
        platform_views_set(
            actor=organiser, tour=make_online_tour(), platform="vk", period=MAY, views=views
        )

    assert "views" in refused.value.message_dict


def test_zero_views_and_text_with_thousand_spaces_are_accepted(organiser):
    tour = make_online_tour()

    zero, _ = platform_views_set(actor=organiser, tour=tour, platform="vk", period=MAY, views=0)
    spaced, _ = platform_views_set(
        actor=organiser, tour=tour, platform="ok", period=MAY, views="1 234\u00a0567"
    )

    assert (zero.views, spaced.views) == (0, 1_234_567)


def test_a_count_is_deleted(organiser):
    row = make_platform_views(make_online_tour(), MAY, 10)

    platform_views_delete(actor=organiser, row=row)

    assert not PlatformViews.objects.exists()
    event = AuditEvent.objects.get()
    assert (event.details["op"], event.details["period"], event.details["views"]) == (
        "delete",
        "2023-05",
        10,
    )


# --- Totals ---------------------------------------------------------------------------------


@pytest.fixture
def counted():
    """Two tours with site plays and platform counts around 2023 (hand-counted below)."""
    a, b = make_online_tour(), make_online_tour()
    plays(a, dt.date(2022, 12, 31), 1)  # outside 2023
    plays(a, dt.date(2023, 1, 1), 2)
    plays(a, dt.date(2023, 5, 31), 3)
    plays(b, dt.date(2023, 12, 31), 4)
    plays(b, dt.date(2024, 1, 1), 5)  # outside 2023
    make_platform_views(a, Y2023, 1000, platform="rutube")  # a yearly count
    make_platform_views(a, MAY, 70, platform="vk")
    make_platform_views(a, Period.month(2023, 6), 30, platform="vk")
    make_platform_views(b, Period.quarter(2023, 2), 500, platform="vk")
    make_platform_views(b, Period(dt.date(2023, 12, 1), dt.date(2024, 1, 31)), 9000, "ok")
    make_platform_views(b, Period.year(2022), 7, platform="rutube")
    return a, b


def test_totals_per_tour_in_a_year_count_what_lies_wholly_inside(counted):
    a, b = counted

    totals = tour_views(period=Y2023, tours=[a, b])

    assert totals[a.pk] == ViewTotals(site=5, platforms={"rutube": 1000, "vk": 100})
    assert totals[a.pk].total == 1105
    # B's December–January count crosses the year's end: it is in neither year.
    assert totals[b.pk] == ViewTotals(site=4, platforms={"vk": 500})
    assert totals[b.pk].total == 504


def test_a_yearly_count_is_not_split_into_a_month(counted):
    a, b = counted

    totals = tour_views(period=MAY, tours=[a.pk, b.pk])

    assert totals[a.pk] == ViewTotals(site=3, platforms={"vk": 70})
    assert totals[b.pk] == ViewTotals(site=0, platforms={})  # Q2 is not inside May
    assert totals[b.pk].total == 0


def test_all_time_counts_everything(counted):
    a, b = counted

    totals = tour_views()

    assert totals[a.pk] == ViewTotals(site=6, platforms={"rutube": 1000, "vk": 100})
    assert totals[b.pk] == ViewTotals(site=9, platforms={"vk": 500, "ok": 9000, "rutube": 7})
    assert views_total() == ViewTotals(site=15, platforms={"rutube": 1007, "vk": 600, "ok": 9000})


def test_the_total_per_period(counted):
    total = views_total(period=Y2023)

    assert total == ViewTotals(site=9, platforms={"rutube": 1000, "vk": 600})
    assert (total.external, total.total) == (1600, 1609)
    assert views_total(period=Period.quarter(2023, 2)).total == 3 + 70 + 30 + 500
    assert views_total(period=Period.year(2021)) == ViewTotals()


def test_tours_without_views_get_zeros_and_without_a_list_only_tours_with_views(counted):
    a, b = counted
    silent = make_online_tour()

    given = tour_views(period=Y2023, tours=[a, silent])
    found = tour_views(period=Y2023)

    assert set(given) == {a.pk, silent.pk}
    assert given[silent.pk].total == 0
    assert set(found) == {a.pk, b.pk}


def test_totals_take_two_queries_for_any_number_of_tours(django_assert_max_num_queries):
    tours = [make_online_tour() for _ in range(12)]
    for number, tour in enumerate(tours):
        plays(tour, dt.date(2023, 3, 1), number)
        make_platform_views(tour, MAY, number * 10, platform="vk")
        make_platform_views(tour, MAY, number, platform="rutube")

    with django_assert_max_num_queries(2):
        totals = tour_views(period=Y2023, tours=tours)
    with django_assert_max_num_queries(2):
        total = views_total(period=Y2023)

    assert [totals[t.pk].total for t in tours] == [n * 12 for n in range(12)]
    assert total.total == sum(n * 12 for n in range(12))
