"""Role-matrix rows for the games pages (merged into web/tests/test_role_matrix.py).

The world's games (``matrix_world.build``) are not held at an enterprise site, so the host of
the matrix runs none of them: every page of running a particular game answers the host 404
(``games_run_by``), while the pages that need the organiser's role answer 403.
"""

from __future__ import annotations

LOGIN = "login"
ROLES = ("anonymous", "visitor", "host", "organiser", "admin")


def _everyone(code):
    return dict.fromkeys(ROLES, code)


def _logged_in(allowed=200):
    return {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], allowed)


def _owner_only(allowed=200):
    """The visitor's own team, answer or sign-up: 404 for anybody else."""
    return {"anonymous": LOGIN, "visitor": allowed, "host": 404, "organiser": 404, "admin": 404}


def _staff_only(allowed=200):
    return {"anonymous": LOGIN, "visitor": 403, "host": 403, "organiser": allowed, "admin": allowed}


def _hosts_and_staff(allowed=200):
    return {
        "anonymous": LOGIN,
        "visitor": 403,
        "host": allowed,
        "organiser": allowed,
        "admin": allowed,
    }


def _runners(allowed=200):
    """A page of running the world's game: the host is not of its site, hence 404."""
    return _hosts_and_staff(allowed) | {"host": 404}


PAGES: dict = {
    # Public.
    "games:game_list": (lambda w: [], _everyone(200)),
    "games:game_detail": (lambda w: [w.games.game.pk], _everyone(200)),
    "games:team_register": (lambda w: [w.games.other_game.pk], _logged_in()),
    "games:solo_signup": (lambda w: [w.games.game.pk], _logged_in()),
    "games:leaderboard": (lambda w: [w.games.game.pk], _everyone(200)),
    "games:leaderboard_table": (lambda w: [w.games.game.pk], _everyone(200)),
    "games:season_table": (lambda w: [w.games.season.pk], _everyone(200)),
    # The captain's own.
    "games:my_teams": (lambda w: [], _logged_in()),
    "games:team_edit": (lambda w: [w.games.team.pk], _owner_only()),
    "games:team_withdraw": (lambda w: [w.games.team.pk], _owner_only()),
    "games:play": (lambda w: [w.games.team.pk], _owner_only()),
    "games:answer_appeal": (lambda w: [w.games.answer.pk], _owner_only()),
    "games:solo_withdraw": (lambda w: [w.games.solo.pk], _owner_only()),
    # Running games.
    "games:manage_games": (lambda w: [], _hosts_and_staff()),
    "games:manage_game_new": (lambda w: [], _staff_only()),
    "games:manage_game": (lambda w: [w.games.game.pk], _runners()),
    "games:manage_game_edit": (lambda w: [w.games.game.pk], _staff_only()),
    "games:manage_rounds": (lambda w: [w.games.game.pk], _runners()),
    "games:manage_round": (lambda w: [w.games.round.pk], _runners()),
    "games:manage_question": (lambda w: [w.games.question.pk], _runners()),
    "games:manage_rosters": (lambda w: [w.games.game.pk], _runners()),
    "games:manage_solo_place": (lambda w: [w.games.solo.pk], _staff_only(405)),  # POST only
    "games:manage_prize_draw": (lambda w: [w.games.game.pk], _staff_only()),
    "games:manage_scores": (lambda w: [w.games.game.pk], _runners()),
    "games:manage_score_cell": (
        lambda w: [w.games.team.pk, w.games.round.pk],
        _hosts_and_staff(405),  # POST only
    ),
    "games:manage_score_history": (lambda w: [w.games.game.pk], _runners()),
    "games:manage_penalties": (lambda w: [w.games.game.pk], _runners()),
    "games:manage_review": (lambda w: [w.games.game.pk], _runners()),
    "games:manage_answer_review": (lambda w: [w.games.answer.pk], _hosts_and_staff(405)),  # POST
    "games:manage_publish": (lambda w: [w.games.game.pk], _runners()),
    "games:manage_seasons": (lambda w: [], _staff_only()),
    "games:manage_season_new": (lambda w: [], _staff_only()),
    "games:manage_season_edit": (lambda w: [w.games.season.pk], _staff_only()),
}
