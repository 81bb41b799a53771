"""Role-matrix rows for the games API (merged into web/tests/test_role_matrix.py).

The world (``matrix_world.build``): ``game`` with the visitor's ``team`` and ``other_team``, a
``round`` with an open ``question`` the visitor's team answered wrongly (``answer``), and
``other_game`` where the visitor signed up as a ``solo`` player. The game has no enterprise
site, so the matrix host may not run it (403); hosts running their site's games are tested in
games/tests/test_api.py.
"""

from __future__ import annotations

from mosprom.games.models import Answer, AnswerStatus
from mosprom.games.tests.factories import make_question

G = "/api/v1/games"
ROLES = ("anonymous", "visitor", "host", "organiser", "admin")
EVERYONE = dict.fromkeys(ROLES, 200)
LOGGED_IN = {"anonymous": 401} | dict.fromkeys(ROLES[1:], 200)
OWNER = {"anonymous": 401, "visitor": 200, "host": 404, "organiser": 404, "admin": 404}
# Running a game: organisers and administrators; the host acts for no enterprise of this game.
RUNNERS = {"anonymous": 401, "visitor": 403, "host": 403, "organiser": 200, "admin": 200}
TEAM = {"name": "Новая команда", "members": ["Капитан Новый", "Игрок Второй"]}


def _review_answer(w) -> Answer:
    """An answer of the other team waiting for a host's decision."""
    question = make_question(round=w.games.round)
    return Answer.objects.create(
        team=w.games.other_team, question=question, text="машинки", status=AnswerStatus.REVIEW
    )


API: dict = {
    ("GET", G): [("list", lambda w: ({}, None), EVERYONE)],
    ("GET", f"{G}/{{id}}"): [("read", lambda w: ({"id": w.games.game.pk}, None), EVERYONE)],
    ("GET", f"{G}/{{id}}/teams"): [
        ("public list", lambda w: ({"id": w.games.game.pk}, None), EVERYONE)
    ],
    ("GET", f"{G}/{{id}}/questions"): [
        ("opened ones", lambda w: ({"id": w.games.game.pk}, None), EVERYONE)
    ],
    ("GET", f"{G}/{{id}}/leaderboard"): [
        ("live", lambda w: ({"id": w.games.game.pk}, None), EVERYONE)
    ],
    ("GET", "/api/v1/game-seasons/{id}/standings"): [
        ("adults", lambda w: ({"id": w.games.season.pk}, None), EVERYONE)
    ],
    ("POST", f"{G}/{{id}}/teams"): [
        (
            "register",
            lambda w: ({"id": w.games.game.pk}, TEAM),
            # The visitor captains a team in this game already.
            {"anonymous": 401, "visitor": 409, "host": 201, "organiser": 201, "admin": 201},
        )
    ],
    ("GET", f"{G}/teams"): [("mine", lambda w: ({}, None), LOGGED_IN)],
    ("GET", f"{G}/teams/{{id}}"): [("own", lambda w: ({"id": w.games.team.pk}, None), OWNER)],
    ("PATCH", f"{G}/teams/{{id}}"): [
        ("own", lambda w: ({"id": w.games.team.pk}, {"organisation": "Школа № 1"}), OWNER),
        ("someone else's", lambda w: ({"id": w.games.other_team.pk}, {}), OWNER | {"visitor": 404}),
    ],
    ("POST", f"{G}/teams/{{id}}/withdraw"): [
        ("own", lambda w: ({"id": w.games.team.pk}, None), OWNER)
    ],
    ("POST", f"{G}/{{id}}/solo"): [
        (
            "sign up",
            lambda w: ({"id": w.games.other_game.pk}, {"full_name": "Игрок Без Команды"}),
            # The visitor is signed up for this game already.
            {"anonymous": 401, "visitor": 409, "host": 201, "organiser": 201, "admin": 201},
        )
    ],
    ("POST", f"{G}/solo/{{id}}/withdraw"): [
        ("own", lambda w: ({"id": w.games.solo.pk}, None), OWNER)
    ],
    ("POST", f"{G}/questions/{{id}}/answers"): [
        (
            "a new question",
            lambda w: ({"id": make_question(round=w.games.round).pk}, {"text": "автомобили"}),
            # Only the captain of a team in this game answers.
            {"anonymous": 401, "visitor": 201, "host": 403, "organiser": 403, "admin": 403},
        ),
        (
            "answered already",
            lambda w: ({"id": w.games.question.pk}, {"text": "станки"}),
            {"anonymous": 401, "visitor": 409, "host": 403, "organiser": 403, "admin": 403},
        ),
    ],
    ("POST", f"{G}/answers/{{id}}/appeal"): [
        ("own", lambda w: ({"id": w.games.answer.pk}, {"note": "Мы правы."}), OWNER)
    ],
    ("PUT", f"{G}/{{id}}/scores"): [
        (
            "set",
            lambda w: (
                {"id": w.games.game.pk},
                {"team": w.games.team.pk, "round": w.games.round.pk, "points": 7},
            ),
            RUNNERS,
        )
    ],
    ("POST", f"{G}/{{id}}/penalties"): [
        (
            "add",
            lambda w: (
                {"id": w.games.game.pk},
                {"team": w.games.other_team.pk, "points": 5, "reason": "Телефон"},
            ),
            RUNNERS | {"organiser": 201, "admin": 201},
        )
    ],
    ("GET", f"{G}/{{id}}/review"): [("queue", lambda w: ({"id": w.games.game.pk}, None), RUNNERS)],
    ("POST", f"{G}/answers/{{id}}/review"): [
        (
            "waiting answer",
            lambda w: ({"id": _review_answer(w).pk}, {"correct": True}),
            # An answer of a game the host does not run is not theirs to see.
            RUNNERS | {"host": 404},
        )
    ],
    ("POST", f"{G}/{{id}}/publish"): [
        ("publish", lambda w: ({"id": w.games.game.pk}, None), RUNNERS)
    ],
}
