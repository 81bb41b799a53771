"""Reads of games, each scoped to who asks.

- Public: published (and cancelled, to say so) games; drafts are 404 to everyone but staff.
- A captain reaches only their own teams; a solo player only their own sign-ups.
- Running a game (score grid, review queue, rosters): organisers and administrators, and hosts
  who are members of the enterprise whose site the game is held at.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from mosprom.games.models import (
    ACTIVE_TEAM,
    Answer,
    AnswerStatus,
    Game,
    GameStatus,
    SoloPlayer,
    Team,
    TeamMember,
)
from mosprom.registry.models import Membership


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_organiser)


def games_public() -> QuerySet[Game]:
    """Announced games, soonest last (newest first), with what a list shows."""
    return (
        Game.objects.filter(status__in=[GameStatus.PUBLISHED, GameStatus.CANCELLED])
        .select_related("season", "site__enterprise")
        .order_by("-starts_at", "id")
    )


def game_public(*, pk: int, user=None) -> Game:
    """A published or cancelled game (staff also see drafts); Http404 otherwise."""
    games = Game.objects.select_related("season", "site__enterprise")
    if not _is_staff(user):
        games = games.filter(status__in=[GameStatus.PUBLISHED, GameStatus.CANCELLED])
    game = games.filter(pk=pk).first()
    if game is None:
        raise Http404
    return game


def games_run_by(user) -> QuerySet[Game]:
    """The games ``user`` may run: all for staff, those at their enterprises' sites for hosts."""
    games = Game.objects.select_related("season", "site__enterprise")
    if _is_staff(user):
        return games
    if user and user.is_authenticated and user.is_active and user.is_host:
        enterprises = Membership.objects.filter(user=user).values("enterprise_id")
        return games.filter(site__enterprise_id__in=enterprises)
    return games.none()


def game_for_running(*, user, pk: int) -> Game:
    """A game ``user`` may run (score, review, see rosters); Http404 otherwise."""
    game = games_run_by(user).filter(pk=pk).first()
    if game is None:
        raise Http404
    return game


def can_run_game(*, user, game: Game) -> bool:
    return games_run_by(user).filter(pk=game.pk).exists()


def _members() -> Prefetch:
    return Prefetch("members", queryset=TeamMember.objects.order_by("position", "id"))


def teams_of(game: Game) -> QuerySet[Team]:
    """A game's teams that are in (registered, then waitlisted in order), with rosters."""
    return (
        Team.objects.filter(game=game, status__in=ACTIVE_TEAM)
        .select_related("captain")
        .prefetch_related(_members())
        .order_by("status", "waitlisted_at", "created_at", "id")
    )


def teams_of_captain(user) -> QuerySet[Team]:
    """``user``'s teams in every game, newest game first."""
    if not (user and user.is_authenticated):
        return Team.objects.none()
    return (
        Team.objects.filter(captain=user)
        .select_related("game")
        .prefetch_related(_members())
        .order_by("-game__starts_at", "-id")
    )


def team_of_captain(*, user, pk: int) -> Team:
    """The captain's own team ``pk``; Http404 for anyone else's."""
    team = teams_of_captain(user).filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


def team_for_running(*, user, pk: int) -> Team:
    """A team of a game ``user`` may run; Http404 otherwise."""
    team = (
        Team.objects.select_related("game", "captain")
        .prefetch_related(_members())
        .filter(pk=pk, game__in=games_run_by(user))
        .first()
    )
    if team is None:
        raise Http404
    return team


def solo_of_user(*, user, pk: int) -> SoloPlayer:
    solo = SoloPlayer.objects.select_related("game").filter(pk=pk, user=user).first()
    if solo is None:
        raise Http404
    return solo


def review_queue(game: Game) -> QuerySet[Answer]:
    """Answers waiting for a host's decision (close matches and appeals), oldest first."""
    return (
        Answer.objects.filter(question__round__game=game)
        .filter(Q(status=AnswerStatus.REVIEW))
        .select_related("team", "question__round")
        .order_by("created_at", "id")
    )


def answer_of_team(*, user, pk: int) -> Answer:
    """An answer of one of ``user``'s teams; Http404 otherwise."""
    answer = (
        Answer.objects.select_related("team__game", "question__round")
        .filter(pk=pk, team__captain=user)
        .first()
    )
    if answer is None:
        raise Http404
    return answer


def answer_for_running(*, user, pk: int) -> Answer:
    answer = (
        Answer.objects.select_related("team__game", "question__round")
        .filter(pk=pk, team__game__in=games_run_by(user))
        .first()
    )
    if answer is None:
        raise Http404
    return answer
