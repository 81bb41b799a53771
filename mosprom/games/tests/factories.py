"""Test data for games: a season, a published game open for registration, teams, rounds.

Defaults: registration opened yesterday and closes in five days, the game a week ahead, 30
teams of 2–6. ``make_team`` writes rows directly and moves ``Game.taken`` the way the
registration service does, so tests of scoring do not depend on registration.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.db.models import F

from mosprom.accounts.tests.factories import make_user
from mosprom.core import clock
from mosprom.games.models import (
    Game,
    GameFormat,
    GameSeason,
    GameStatus,
    Question,
    Round,
    Team,
    TeamMember,
    TeamStatus,
)

_seq = itertools.count(1)


def make_game_season(**fields) -> GameSeason:
    fields.setdefault("name", f"Сезон интеллектуальных игр {next(_seq)}")
    fields.setdefault("year", clock.today().year)
    fields.setdefault("place_points", [130, 120, 110, 100, 95, 90, 85, 80, 75, 70])
    return GameSeason.objects.create(**fields)


def make_game(**fields) -> Game:
    now = clock.now()
    fields.setdefault("title", f"Квиз «Открой#Моспром» №{next(_seq)}")
    fields.setdefault("theme", "Московская промышленность")
    fields.setdefault("starts_at", now + dt.timedelta(days=7))
    fields.setdefault("venue", "Технополис «Москва»")
    fields.setdefault("format", GameFormat.OFFLINE)
    fields.setdefault("capacity", 30)
    fields.setdefault("registration_opens_at", now - dt.timedelta(days=1))
    fields.setdefault("registration_closes_at", now + dt.timedelta(days=5))
    fields.setdefault("status", GameStatus.PUBLISHED)
    return Game.objects.create(**fields)


def make_team(
    *,
    game: Game | None = None,
    captain=None,
    name: str | None = None,
    members: list[str] | None = None,
    status: str = TeamStatus.REGISTERED,
    **fields,
) -> Team:
    game = game or make_game()
    captain = captain or make_user()
    n = next(_seq)
    team = Team.objects.create(
        game=game,
        captain=captain,
        name=name or f"Команда {n}",
        status=status,
        waitlisted_at=clock.now() if status == TeamStatus.WAITLISTED else None,
        **fields,
    )
    names = members or [captain.get_full_name() or "Капитан", f"Игрок {n}"]
    TeamMember.objects.bulk_create(
        TeamMember(team=team, position=i, full_name=full_name, user=captain if i == 0 else None)
        for i, full_name in enumerate(names)
    )
    if status == TeamStatus.REGISTERED:
        Game.objects.filter(pk=game.pk).update(taken=F("taken") + 1)
        game.taken += 1
    return team


def make_round(*, game: Game, number: int | None = None, **fields) -> Round:
    if number is None:
        number = (game.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    fields.setdefault("title", f"Тур {number}")
    fields.setdefault("questions", 10)
    return Round.objects.create(game=game, number=number, **fields)


def make_question(*, round: Round, number: int | None = None, **fields) -> Question:
    if number is None:
        number = (
            round.question_set.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
    fields.setdefault("text", f"Вопрос {number}: что выпускает завод «Москвич»?")
    fields.setdefault("accepted", "автомобили\nмашины")
    now = clock.now()
    fields.setdefault("opens_at", now - dt.timedelta(minutes=5))
    fields.setdefault("closes_at", now + dt.timedelta(minutes=5))
    return Question.objects.create(round=round, number=number, **fields)
