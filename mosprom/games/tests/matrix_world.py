"""The games objects of the role matrix's world (``web/tests/test_role_matrix.py``).

``build`` is called once per matrix test with the users by role and returns a namespace the
page and API rows (``matrix_pages.PAGES``, ``matrix_api.API``) read as ``w.games.<name>``.
"""

from __future__ import annotations

from types import SimpleNamespace

from mosprom.accounts.models import Role
from mosprom.games.models import Answer, AnswerStatus, GameFormat, SoloPlayer
from mosprom.games.tests.factories import (
    make_game,
    make_game_season,
    make_question,
    make_round,
    make_team,
)


def build(users: dict) -> SimpleNamespace:
    visitor = users[Role.VISITOR]
    season = make_game_season()
    game = make_game(season=season, format=GameFormat.HYBRID)
    team = make_team(game=game, captain=visitor, name="Команда матрицы")
    other_team = make_team(game=game, name="Чужая команда")
    round_ = make_round(game=game)
    question = make_question(round=round_)
    answer = Answer.objects.create(
        team=team, question=question, text="станки", status=AnswerStatus.WRONG
    )
    other_game = make_game(season=season)
    solo = SoloPlayer.objects.create(game=other_game, user=visitor, full_name="Игрок Матрицы")
    return SimpleNamespace(
        season=season,
        game=game,
        team=team,
        other_team=other_team,
        round=round_,
        question=question,
        answer=answer,
        other_game=other_game,
        solo=solo,
    )
