"""The games demo: a season with published games, a live online game and an open one."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from mosprom.accounts.demo import accounts_demo_load
from mosprom.accounts.models import User
from mosprom.accounts.tests.factories import make_user
from mosprom.games import selectors
from mosprom.games.demo import SEASON_NAME, games_demo_load
from mosprom.games.models import (
    Answer,
    AnswerStatus,
    Game,
    GameFormat,
    GameSeason,
    League,
    Penalty,
    Question,
    Round,
    Score,
    ScoreChange,
    Team,
    TeamMember,
    TeamStatus,
)
from mosprom.games.registration import team_register
from mosprom.games.scoring import answer_appeal, leaderboard
from mosprom.games.standings import season_games, season_standings
from mosprom.registry.demo import registry_demo_load, registry_demo_memberships_load
from mosprom.tourism.demo import DEMO_HOST, DEMO_VISITOR

pytestmark = pytest.mark.django_db

MODELS = (GameSeason, Game, Team, TeamMember, Round, Score, ScoreChange, Penalty, Question, Answer)


@pytest.fixture
def demo():
    registry_demo_load()
    accounts_demo_load()
    registry_demo_memberships_load()
    return games_demo_load()


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


def test_loading_twice_makes_nothing_twice(demo):
    before = counts()

    again = games_demo_load()

    assert demo.created and not again.created
    assert again.season == demo.season
    assert counts() == before
    assert GameSeason.objects.filter(name=SEASON_NAME).count() == 1
    assert mail.outbox == []


def test_the_season_and_its_games(demo):
    season = demo.season
    assert season.place_points[:5] == [130, 120, 110, 100, 95]
    games = list(season.games.order_by("starts_at"))
    assert demo.games == len(games) == 5
    past = [g for g in games if g.results_published_at is not None]
    assert len(past) == 3
    assert any(g.venue == "Технополис «Москва»" for g in past)
    plant = next(g for g in past if g.site_id)
    assert plant.site.enterprise.short_name == "Микрон"
    assert selectors.can_run_game(user=User.objects.get(email=DEMO_HOST), game=plant)
    school = next(g for g in past if g.league == League.SCHOOLS)
    assert school.format == GameFormat.ONLINE
    assert all(8 <= g.teams.count() <= 12 for g in past)
    assert Penalty.objects.filter(team__game__in=past).exists()


def test_counters_and_rosters_are_consistent(demo):
    for game in Game.objects.all():
        registered = game.teams.filter(status=TeamStatus.REGISTERED).count()
        assert game.taken == registered <= game.capacity
        for team in game.teams.all():
            roster = list(team.members.order_by("position"))
            assert game.team_min <= len(roster) <= game.team_max
            assert roster[0].user_id == team.captain_id
    assert demo.teams == Team.objects.count()


def test_scores_are_in_range_and_some_places_are_shared(demo):
    for score in Score.objects.select_related("round"):
        assert score.round.min_points <= score.points <= score.round.max_points
    for game in Game.objects.filter(results_published_at__isnull=False):
        board = leaderboard(game)
        assert all(None not in row.rounds for row in board)
        assert any(row.place_from != row.place_to for row in board), game.title


def test_season_standings_are_computable(demo):
    adults = season_standings(demo.season, League.ADULTS)
    schools = season_standings(demo.season, League.SCHOOLS)

    assert len(season_games(demo.season, League.ADULTS)) == 2
    assert len(adults) == 12  # the teams of the two published adult games
    assert adults[0].place_from == 1
    assert adults[0].counted >= adults[-1].counted
    assert any(row.games_played == 2 for row in adults)
    assert all(row.counted == sum(p for p in row.per_game if p) for row in adults)
    assert len(schools) == 8
    assert schools[0].counted == 130


def test_the_upcoming_game_fills_then_waitlists(demo):
    game = next(g for g in selectors.games_public() if g.registration_open())
    assert game.places_left == 1

    last = team_register(user=make_user(), game=game, name="Новички", members=["А Б", "В Г"])
    late = team_register(user=make_user(), game=game, name="Опоздавшие", members=["Д Е", "Ж З"])

    assert last.status == TeamStatus.REGISTERED
    assert late.status == TeamStatus.WAITLISTED


def test_the_online_game_has_questions_answers_and_the_visitors_team(demo):
    visitor = User.objects.get(email=DEMO_VISITOR)
    (team,) = Team.objects.filter(captain=visitor)
    game = team.game
    assert game.format == GameFormat.ONLINE and game.results_published_at is None
    questions = Question.objects.filter(round__game=game)
    assert questions.count() == 12
    queue = list(selectors.review_queue(game))
    assert len(queue) == 2 and any(a.appealed for a in queue)

    wrong = Answer.objects.get(team=team, status=AnswerStatus.WRONG)
    answer_appeal(answer=wrong, actor=visitor, note="Процессоры — тоже микросхемы.")

    assert selectors.review_queue(game).count() == 3


def test_without_the_other_demos_the_games_still_load():
    result = games_demo_load()

    assert result.created
    assert Game.objects.filter(site__isnull=False).count() == 0
    assert Team.objects.filter(name="Любознательные").count() == 0


def test_demo_data_command_loads_the_games():
    out = StringIO()
    call_command("demo_data", stdout=out)

    assert f"season «{SEASON_NAME}» with 5 games" in out.getvalue()
    out = StringIO()
    call_command("demo_data", stdout=out)
    assert "Games: season" in out.getvalue() and "already loaded" in out.getvalue()
    assert Game.objects.count() == 5
