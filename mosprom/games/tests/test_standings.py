"""Season standings on a known season and the games figures on a known set
(``games.standings``)."""

from __future__ import annotations

import datetime as dt

import pytest

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.games.models import (
    Game,
    GameStatus,
    League,
    Round,
    Score,
    SkippedGames,
    TeamMember,
    TeamStatus,
    TieBreak,
)
from mosprom.games.scoring import leaderboard
from mosprom.games.standings import games_figures, games_held, season_games, season_standings
from mosprom.games.tests.factories import make_game, make_game_season, make_team

pytestmark = pytest.mark.django_db

MSK = dt.timezone(dt.timedelta(hours=3))


def played_game(season, when: dt.datetime, results: dict[str, int], **fields) -> Game:
    """A game of ``season`` with one round and the given points per team (equal points share
    the place), results published unless told otherwise."""
    publish = fields.pop("publish", True)
    game = make_game(season=season, starts_at=when, tie_break=TieBreak.LAST_ROUND, **fields)
    round_ = Round.objects.create(game=game, number=1, title="Тур 1", questions=20)
    for name, points in results.items():
        Score.objects.create(team=make_team(game=game, name=name), round=round_, points=points)
    if publish:
        Game.objects.filter(pk=game.pk).update(results_published_at=when + dt.timedelta(hours=3))
        game.refresh_from_db()
    return game


@pytest.fixture
def season():
    """Three published adult games (130, 120, 110, 100, 95, … for places 1, 2, 3, …):

    ========== ============ ================= ==============
    team        game 1       game 2            game 3
    ========== ============ ================= ==============
    Альфа       2nd  120     2nd–3rd  120      5th   95
    Бета        1st  130     —                 2nd  120
    Гамма       3rd  110     1st  130          3rd  110
    Дельта      4th  100     2nd–3rd  120      1st  130
    Эпсилон     —            4th  100          —
    Зета        —            —                 4th  100
    ========== ============ ================= ==============

    plus games that do not count: one unpublished, one of the school league, one of another
    season, one cancelled.
    """
    season = make_game_season(year=2025, place_points=[130, 120, 110, 100, 95, 90])
    start = dt.datetime(2025, 3, 1, 12, 0, tzinfo=MSK)
    games = [
        played_game(season, start, {"Бета": 10, "Альфа": 8, "Гамма": 6, "команда дельта": 4}),
        played_game(
            season,
            start + dt.timedelta(days=30),
            {"Гамма": 9, "Альфа": 7, "Команда  Дельта": 7, "Эпсилон": 2},
        ),
        played_game(
            season,
            start + dt.timedelta(days=60),
            {"Команда Дельта": 12, "Бета": 11, "Гамма": 8, "Зета": 5, "Альфа": 3},
        ),
    ]
    played_game(season, start + dt.timedelta(days=90), {"Зета": 20}, publish=False)
    played_game(season, start + dt.timedelta(days=10), {"Зета": 20}, league=League.SCHOOLS)
    played_game(make_game_season(year=2025), start, {"Зета": 20})
    cancelled = played_game(season, start + dt.timedelta(days=20), {"Зета": 20})
    Game.objects.filter(pk=cancelled.pk).update(status=GameStatus.CANCELLED)
    return season, games


def table(rows) -> list[tuple]:
    return [(r.team_name, r.per_game, r.counted, r.games_played, r.place) for r in rows]


def test_the_known_games_have_the_places_the_season_uses(season):
    _, games = season

    assert [(r.team_name, r.place) for r in leaderboard(games[1])] == [
        ("Гамма", "1"),
        ("Альфа", "2–3"),
        ("Команда  Дельта", "2–3"),
        ("Эпсилон", "4"),
    ]


def test_season_standings_skipped_games_count_zero(season):
    season, games = season
    season.skipped_rule = SkippedGames.ZERO
    season.save()

    rows = season_standings(season, League.ADULTS)

    assert season_games(season, League.ADULTS) == games
    assert table(rows) == [
        # Дельта and Гамма both 350: countback (130, 120, 100) beats (130, 110, 110).
        ("Команда Дельта", (100, 120, 130), 350, 3, "1"),
        ("Гамма", (110, 130, 110), 350, 3, "2"),
        ("Альфа", (120, 120, 95), 335, 3, "3"),
        ("Бета", (130, None, 120), 250, 2, "4"),
        ("Зета", (None, None, 100), 100, 1, "5–6"),  # a shared place: by name
        ("Эпсилон", (None, 100, None), 100, 1, "5–6"),
    ]
    assert (rows[4].place_from, rows[4].place_to) == (5, 6)


def test_season_standings_best_n(season):
    season, _ = season
    season.skipped_rule = SkippedGames.BEST_N
    season.best_n = 2
    season.save()

    rows = season_standings(season, League.ADULTS)

    assert table(rows) == [
        # 250 each: Дельта's third result (100) beats Бета's none.
        ("Команда Дельта", (100, 120, 130), 250, 3, "1"),
        ("Бета", (130, None, 120), 250, 2, "2"),
        ("Гамма", (110, 130, 110), 240, 3, "3"),
        ("Альфа", (120, 120, 95), 240, 3, "4"),
        ("Зета", (None, None, 100), 100, 1, "5–6"),  # a shared place: by name
        ("Эпсилон", (None, 100, None), 100, 1, "5–6"),
    ]


def test_each_league_has_its_own_table(season):
    season, _ = season

    assert table(season_standings(season, League.SCHOOLS)) == [("Зета", (130,), 130, 1, "1")]
    assert season_standings(make_game_season(), League.ADULTS) == []


def test_places_beyond_the_points_table_get_its_last_value():
    season = make_game_season(place_points=[10, 5])
    start = dt.datetime(2025, 5, 1, 12, 0, tzinfo=MSK)
    played_game(season, start, {"А": 4, "Б": 3, "В": 2, "Г": 2})

    rows = season_standings(season, League.ADULTS)

    # Б is 2nd in the game, В and Г share 3rd–4th: all get the table's last value, so the
    # season cannot tell them apart.
    assert [(r.team_name, r.counted, r.place) for r in rows] == [
        ("А", 10, "1"),
        ("Б", 5, "2–4"),
        ("В", 5, "2–4"),
        ("Г", 5, "2–4"),
    ]


def test_season_standings_queries_are_bounded(season, django_assert_max_num_queries):
    season, _ = season

    with django_assert_max_num_queries(6):
        season_standings(season, League.ADULTS)


# --- Figures ---------------------------------------------------------------------------------


def roster(game, captain, names: list[str], status=TeamStatus.REGISTERED, solo=None):
    team = make_team(game=game, captain=captain, members=names, status=status)
    if solo is not None:
        TeamMember.objects.create(team=team, position=len(names), full_name="Соло", user=solo)
    return team


def test_games_figures_on_a_known_set():
    """2024 (Moscow time): two games held — one with results published, one played but never
    published; an unplayed past game, a cancelled one and a future one do not count. A game
    that started at 01:30 on 1 January 2025 in Moscow (22:30 UTC on 31 December) is 2025's."""
    anna, boris, vera = make_user(), make_user(), make_user()
    season = make_game_season(year=2024)
    now = dt.datetime(2025, 2, 1, 12, 0, tzinfo=MSK)
    with clock.frozen(now):
        published = make_game(season=season, starts_at=dt.datetime(2024, 3, 1, 19, 0, tzinfo=MSK))
        Game.objects.filter(pk=published.pk).update(results_published_at=now)
        unpublished = make_game(starts_at=dt.datetime(2024, 11, 1, 19, 0, tzinfo=MSK))
        empty = make_game(starts_at=dt.datetime(2024, 12, 1, 19, 0, tzinfo=MSK))
        cancelled = make_game(
            season=season,
            starts_at=dt.datetime(2024, 6, 1, 19, 0, tzinfo=MSK),
            status=GameStatus.CANCELLED,
        )
        new_year = make_game(
            season=season, starts_at=dt.datetime(2024, 12, 31, 22, 30, tzinfo=dt.UTC)
        )
        future = make_game(starts_at=now + dt.timedelta(days=3))

        roster(published, anna, ["Анна", "Пётр", "Иван"])  # 3 players, 1 account
        roster(published, boris, ["Борис", "Ольга"], solo=vera)  # 3 players, 2 accounts
        roster(published, make_user(), ["Ушли", "Ушли"], status=TeamStatus.WITHDRAWN)
        roster(published, make_user(), ["Ждут", "Ждут"], status=TeamStatus.WAITLISTED)
        roster(unpublished, anna, ["Анна", "Пётр"])  # Анна again; Пётр again without account
        roster(empty, make_user(), ["Снялись", "Снялись"], status=TeamStatus.WITHDRAWN)
        roster(cancelled, make_user(), ["Отмена", "Отмена"])
        roster(new_year, vera, ["Вера", "Глеб"])
        roster(future, make_user(), ["Будущие", "Будущие"])

        assert set(games_held(year=2024)) == {published, unpublished}
        figures_2024 = games_figures(year=2024)
        figures_2025 = games_figures(year=2025)
        figures_season = games_figures(season=season)
        figures_all = games_figures()

    # 2024: 3 teams; 3 + 3 + 2 = 8 roster lines; accounts anna, boris, vera = 3, plus the four
    # roster lines without an account (Пётр, Иван, Ольга; Пётр again) = 7.
    assert figures_2024 == type(figures_2024)(games=2, teams=3, players=8, unique_players=7)
    assert (figures_2025.games, figures_2025.teams, figures_2025.players) == (1, 1, 2)
    assert figures_2025.unique_players == 2
    # The season: the published game and the new-year game (not the cancelled one).
    assert (figures_season.games, figures_season.teams, figures_season.players) == (2, 3, 8)
    assert figures_season.unique_players == 3 + 4  # vera once across both games
    assert figures_all.games == 3
    assert games_figures(year=2024, season=season).games == 1


def test_games_figures_queries_are_bounded(django_assert_max_num_queries):
    for _ in range(3):
        game = make_game(starts_at=clock.now() - dt.timedelta(days=1))
        for _ in range(4):
            make_team(game=game)

    with django_assert_max_num_queries(3):
        figures = games_figures(year=clock.localtime(clock.now() - dt.timedelta(days=1)).year)

    assert (figures.games, figures.teams, figures.players) == (3, 12, 24)
