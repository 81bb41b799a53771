"""Games figures for any period (``games_held``/``games_figures`` with ``period``), next to the
older ``year`` and ``season`` filters."""

from __future__ import annotations

import datetime as dt

import pytest

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.core.periods import Period
from mosprom.games.models import Game, GameStatus, TeamStatus
from mosprom.games.standings import games_figures, games_held
from mosprom.games.tests.factories import make_game, make_game_season, make_team

pytestmark = pytest.mark.django_db

MSK = dt.timezone(dt.timedelta(hours=3))
NOW = dt.datetime(2023, 12, 20, 12, 0, tzinfo=MSK)


def team(game, names, status=TeamStatus.REGISTERED):
    return make_team(game=game, captain=make_user(), members=names, status=status)


@pytest.fixture
def games():
    """Games around 2023 (hand counts in the tests)."""
    season = make_game_season(year=2023)
    with clock.frozen(NOW):
        march = make_game(season=season, starts_at=dt.datetime(2023, 3, 15, 19, 0, tzinfo=MSK))
        Game.objects.filter(pk=march.pk).update(results_published_at=NOW)
        team(march, ["А", "Б", "В", "Г"])  # 4
        team(march, ["Д", "Е"])  # 2
        team(march, ["Ушли", "Ушли"], status=TeamStatus.WITHDRAWN)

        june = make_game(starts_at=dt.datetime(2023, 6, 1, 19, 0, tzinfo=MSK))  # played
        team(june, ["Ж", "З", "И"])  # 3

        cancelled = make_game(
            starts_at=dt.datetime(2023, 6, 2, 19, 0, tzinfo=MSK), status=GameStatus.CANCELLED
        )
        team(cancelled, ["Отмена", "Отмена"])

        # 00:30 on 1 January 2023 in Moscow is 21:30 UTC on 31 December 2022: a 2023 game.
        new_year = make_game(
            season=season, starts_at=dt.datetime(2022, 12, 31, 21, 30, tzinfo=dt.UTC)
        )
        team(new_year, ["К", "Л"])  # 2

        last_year = make_game(starts_at=dt.datetime(2022, 11, 1, 19, 0, tzinfo=MSK))
        team(last_year, ["М", "Н", "О"])

        coming = make_game(starts_at=dt.datetime(2023, 12, 25, 19, 0, tzinfo=MSK))  # after NOW
        team(coming, ["Будущие", "Будущие"])
    return {"season": season, "march": march, "june": june, "new_year": new_year}


def test_games_in_a_period_on_a_hand_counted_set(games):
    with clock.frozen(NOW):
        year = games_figures(period=Period.year(2023))
        held = set(games_held(period=Period.year(2023)))
        first_half = games_figures(period=Period.half(2023, 1))
        march = games_figures(period=Period.month(2023, 3))
        second_half = games_figures(period=Period.half(2023, 2))

    assert held == {games["march"], games["june"], games["new_year"]}
    assert (year.games, year.teams, year.players) == (3, 4, 4 + 2 + 3 + 2)
    assert (first_half.games, first_half.players) == (3, 11)
    assert (march.games, march.teams, march.players) == (1, 2, 6)
    assert (second_half.games, second_half.players) == (0, 0)  # the coming game has not started


def test_period_and_year_agree_and_filters_combine(games):
    with clock.frozen(NOW):
        by_year = games_figures(year=2023)
        by_period = games_figures(period=Period.year(2023))
        season_in_march = games_figures(season=games["season"], period=Period.month(2023, 3))
        season_in_june = games_figures(season=games["season"], period=Period.month(2023, 6))
        last_year = games_figures(period=Period.year(2022))

    assert by_year == by_period
    assert (season_in_march.games, season_in_march.players) == (1, 6)
    assert season_in_june.games == 0
    assert (last_year.games, last_year.players) == (1, 3)


def test_a_game_belongs_to_its_moscow_day(games):
    with clock.frozen(NOW):
        first_day = games_figures(period=Period(dt.date(2023, 1, 1), dt.date(2023, 1, 1)))
        eve = games_figures(period=Period(dt.date(2022, 12, 31), dt.date(2022, 12, 31)))

    assert (first_day.games, first_day.players) == (1, 2)
    assert eve.games == 0


def test_figures_for_a_period_take_three_queries(games, django_assert_max_num_queries):
    with clock.frozen(NOW), django_assert_max_num_queries(3):
        figures = games_figures(period=Period.year(2023))

    assert figures.players == 11
