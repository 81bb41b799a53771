"""Reads the games pages need beyond ``games.selectors``, scoped the same way: public reads
return only what anybody may see, the captain's only their own, the running ones go through
``games_run_by`` (Http404 for a game the user may not run)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from mosprom.core import clock
from mosprom.games.models import (
    ACTIVE_TEAM,
    Answer,
    AnswerStatus,
    Game,
    GameSeason,
    League,
    Penalty,
    PrizeDraw,
    Question,
    Round,
    Score,
    ScoreChange,
    SoloPlayer,
    SoloStatus,
    Team,
    TeamStatus,
)
from mosprom.games.selectors import games_public, games_run_by
from mosprom.tourism.models import Session, SessionStatus

# --- Public --------------------------------------------------------------------------------


def games_listed(*, upcoming: bool, league: str = "", format: str = "") -> QuerySet[Game]:
    """Announced games still to come (soonest first) or already started (newest first)."""
    now = clock.now()
    games = games_public()
    if league:
        games = games.filter(league=league)
    if format:
        games = games.filter(format=format)
    if upcoming:
        return games.filter(starts_at__gte=now).order_by("starts_at", "id")
    return games.filter(starts_at__lt=now).order_by("-starts_at", "-id")


def game_registered_teams(game: Game) -> QuerySet[Team]:
    """The teams that are in, in the order they registered: what a game page lists."""
    return (
        Team.objects.filter(game=game, status=TeamStatus.REGISTERED)
        .only("id", "name", "organisation", "game_id")
        .order_by("created_at", "id")
    )


def game_waitlisted_count(game: Game) -> int:
    return Team.objects.filter(game=game, status=TeamStatus.WAITLISTED).count()


def active_team_of(*, user, game: Game) -> Team | None:
    """``user``'s team in ``game`` that is in (registered or waitlisted), if any."""
    if not (user and user.is_authenticated):
        return None
    return Team.objects.filter(game=game, captain=user, status__in=ACTIVE_TEAM).first()


def active_solo_of(*, user, game: Game) -> SoloPlayer | None:
    if not (user and user.is_authenticated):
        return None
    return (
        SoloPlayer.objects.filter(
            game=game, user=user, status__in=[SoloStatus.WAITING, SoloStatus.PLACED]
        )
        .select_related("team")
        .first()
    )


def season_public(*, pk: int) -> GameSeason:
    season = GameSeason.objects.filter(pk=pk).first()
    if season is None:
        raise Http404
    return season


def seasons_with_games() -> QuerySet[GameSeason]:
    """Seasons that have announced games, newest first (links from the games list)."""
    return (
        GameSeason.objects.filter(games__in=games_public())
        .distinct()
        .order_by("-year", "name", "id")
    )


def season_leagues(season: GameSeason) -> list[str]:
    """The leagues the season has announced games in (both when it has none yet)."""
    leagues = set(games_public().filter(season=season).values_list("league", flat=True).distinct())
    return [value for value, _ in League.choices if value in leagues] or list(League.values)


# --- The captain ---------------------------------------------------------------------------


def solos_of_user(user) -> QuerySet[SoloPlayer]:
    """``user``'s sign-ups as a player looking for a team, newest game first."""
    return (
        SoloPlayer.objects.filter(user=user)
        .select_related("game", "team")
        .order_by("-game__starts_at", "-id")
    )


def questions_open_for(*, team: Team) -> list[Question]:
    """Questions of the team's game open for answers now that the team has not answered."""
    now = clock.now()
    return list(
        Question.objects.filter(round__game_id=team.game_id, opens_at__lte=now)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .exclude(answers__team=team)
        .select_related("round")
        .order_by("round__number", "number")
    )


def next_question_at(*, team: Team):
    """When the next question of the team's game opens (None: none scheduled)."""
    return (
        Question.objects.filter(round__game_id=team.game_id, opens_at__gt=clock.now())
        .order_by("opens_at")
        .values_list("opens_at", flat=True)
        .first()
    )


def answers_of(*, team: Team) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(team=team)
        .select_related("question__round")
        .order_by("question__round__number", "question__number")
    )


# --- Running a game ------------------------------------------------------------------------


def round_for_running(*, user, pk: int) -> Round:
    round_ = Round.objects.select_related("game").filter(pk=pk, game__in=games_run_by(user)).first()
    if round_ is None:
        raise Http404
    return round_


def question_for_running(*, user, pk: int) -> Question:
    question = (
        Question.objects.select_related("round__game")
        .filter(pk=pk, round__game__in=games_run_by(user))
        .first()
    )
    if question is None:
        raise Http404
    return question


def solo_for_running(*, user, pk: int) -> SoloPlayer:
    solo = (
        SoloPlayer.objects.select_related("game", "user")
        .filter(pk=pk, game__in=games_run_by(user))
        .first()
    )
    if solo is None:
        raise Http404
    return solo


def rounds_of(game: Game) -> list[Round]:
    return list(Round.objects.filter(game=game).order_by("number"))


def rounds_with_counts(game: Game) -> QuerySet[Round]:
    return (
        Round.objects.filter(game=game)
        .annotate(question_count=Count("question_set"))
        .order_by("number")
    )


def playing_teams(game: Game) -> QuerySet[Team]:
    """Registered teams of ``game`` (the rows of the score grid), in registration order."""
    return Team.objects.filter(game=game, status=TeamStatus.REGISTERED).order_by("created_at", "id")


def waiting_solos(game: Game) -> QuerySet[SoloPlayer]:
    return (
        SoloPlayer.objects.filter(game=game, status=SoloStatus.WAITING)
        .select_related("user")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class GameFigures:
    registered: int
    waitlisted: int
    solos_waiting: int
    to_review: int
    rounds: int


def game_figures(game: Game) -> GameFigures:
    """What the game's hub page counts, in four queries."""
    teams = Team.objects.filter(game=game).aggregate(
        registered=Count("id", filter=Q(status=TeamStatus.REGISTERED)),
        waitlisted=Count("id", filter=Q(status=TeamStatus.WAITLISTED)),
    )
    return GameFigures(
        registered=teams["registered"],
        waitlisted=teams["waitlisted"],
        solos_waiting=SoloPlayer.objects.filter(game=game, status=SoloStatus.WAITING).count(),
        to_review=Answer.objects.filter(
            question__round__game=game, status=AnswerStatus.REVIEW
        ).count(),
        rounds=Round.objects.filter(game=game).count(),
    )


def scores_of(*, teams: list[Team], rounds: list[Round]) -> dict[tuple[int, int], int]:
    """Entered points by (team id, round id), one query."""
    return {
        (team_id, round_id): points
        for team_id, round_id, points in Score.objects.filter(
            team__in=[t.pk for t in teams], round__in=[r.pk for r in rounds]
        ).values_list("team_id", "round_id", "points")
    }


def score_of(*, team: Team, round: Round) -> int | None:
    return Score.objects.filter(team=team, round=round).values_list("points", flat=True).first()


def score_history(
    *, game: Game, team_id: int | None = None, round_id: int | None = None
) -> QuerySet[ScoreChange]:
    changes = ScoreChange.objects.filter(team__game=game)
    if team_id:
        changes = changes.filter(team_id=team_id)
    if round_id:
        changes = changes.filter(round_id=round_id)
    return changes.select_related("team", "round", "changed_by").order_by("-changed_at", "-id")


def penalties_of(game: Game) -> QuerySet[Penalty]:
    return (
        Penalty.objects.filter(team__game=game)
        .select_related("team", "created_by")
        .order_by("-created_at", "-id")
    )


PRIZE_SESSIONS_DAYS = 120


def prize_sessions() -> QuerySet[Session]:
    """Tour sessions a prize draw may give places on: scheduled, in the next four months,
    with places left."""
    now = clock.now()
    return (
        Session.objects.filter(
            status=SessionStatus.SCHEDULED,
            starts_at__gt=now,
            starts_at__lt=now + dt.timedelta(days=PRIZE_SESSIONS_DAYS),
            taken__lt=F("capacity"),
        )
        .select_related("experience__enterprise")
        .order_by("starts_at", "id")
    )


def prize_draws_of(game: Game) -> QuerySet[PrizeDraw]:
    return (
        PrizeDraw.objects.filter(game=game)
        .select_related("session__experience", "drawn_by")
        .order_by("-drawn_at", "-id")
    )


def team_names(ids: list[int]) -> dict[int, str]:
    return dict(Team.objects.filter(pk__in=ids).values_list("id", "name"))
