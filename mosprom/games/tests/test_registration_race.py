"""Registration races on a real PostgreSQL: many threads, each with its own connection.

The team limit and the unique team names are the database's (``Game.taken`` under a CHECK,
moved by conditional UPDATEs; partial unique constraints); these tests try hard to break them.
The thread harness is the tourism race tests' (``race``: waves released by a barrier, a
refusal answers its code, anything else "error: …").
"""

from __future__ import annotations

from collections import Counter

import pytest

from mosprom.games.models import Game, Team, TeamStatus
from mosprom.games.registration import team_register, team_withdraw
from mosprom.games.tests.factories import make_game
from mosprom.tourism.tests.factories import use_dummy_tasks
from mosprom.tourism.tests.test_booking_race import WORKERS, make_users, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SAME_NAME = ["Ёжики  в тумане", "ежики в Тумане", "ЁЖИКИ В ТУМАНЕ", " ёжики в тумане "]


def register(user, game: Game, name: str) -> str:
    team = team_register(user=user, game=game, name=name, members=[user.get_full_name(), "Игрок"])
    return team.status


def assert_counter_true(game: Game) -> None:
    """``taken`` equals the registered teams; no team waits while a place is free; no name or
    captain twice among the active teams."""
    game.refresh_from_db()
    teams = Team.objects.filter(game=game)
    registered = teams.filter(status=TeamStatus.REGISTERED).count()
    assert game.taken == registered
    assert game.taken <= game.capacity
    waiting = teams.filter(status=TeamStatus.WAITLISTED).count()
    assert not (waiting and game.taken < game.capacity), "a team waits while a place is free"
    active = teams.exclude(status=TeamStatus.WITHDRAWN)
    keys = list(active.values_list("name_key", flat=True))
    assert len(keys) == len(set(keys)), "two active teams share a name"
    captains = list(active.values_list("captain_id", flat=True))
    assert len(captains) == len(set(captains))


def test_50_registrations_for_30_places_end_with_30_registered_and_20_waitlisted(settings):
    use_dummy_tasks(settings)
    game = make_game(capacity=30)
    users = make_users(WORKERS)

    outcomes = Counter(race(lambda user: register(user, game, f"Команда {user.pk}"), users))

    assert outcomes == {TeamStatus.REGISTERED: 30, TeamStatus.WAITLISTED: 20}, outcomes
    game.refresh_from_db()
    assert game.taken == 30
    assert Team.objects.filter(game=game, status=TeamStatus.REGISTERED).count() == 30
    waiting = Team.objects.filter(game=game, status=TeamStatus.WAITLISTED)
    assert waiting.count() == 20
    assert not waiting.filter(waitlisted_at__isnull=True).exists()
    assert_counter_true(game)


def test_threads_racing_for_one_name_leave_one_team_with_it(settings):
    use_dummy_tasks(settings)
    game = make_game(capacity=30)
    users = make_users(WORKERS)
    # Every fifth thread wants «Ёжики в тумане», spelled four ways.
    names = {
        user.pk: SAME_NAME[n % len(SAME_NAME)] if n % 5 == 0 else f"Команда {user.pk}"
        for n, user in enumerate(users)
    }

    outcomes = Counter(race(lambda user: register(user, game, names[user.pk]), users))

    assert not [tag for tag in outcomes if tag.startswith("error")], outcomes
    assert outcomes["team_name_taken"] == WORKERS // 5 - 1, outcomes
    assert outcomes[TeamStatus.REGISTERED] == 30
    assert outcomes[TeamStatus.WAITLISTED] == WORKERS - 30 - outcomes["team_name_taken"]
    hedgehogs = Team.objects.filter(game=game, name_key="ежики в тумане")
    assert hedgehogs.count() == 1
    assert_counter_true(game)


def test_withdrawals_racing_registrations_keep_the_counter_equal_to_registered_teams(settings):
    use_dummy_tasks(settings)
    game = make_game(capacity=30)
    early = make_users(34)
    for user in early:  # 30 registered, 4 waitlisted
        register(user, game, f"Ранние {user.pk}")
    leaving = list(Team.objects.filter(game=game, status=TeamStatus.REGISTERED)[:20])
    newcomers = make_users(WORKERS - len(leaving))

    def attempt(item) -> str:
        if isinstance(item, Team):
            return "withdrawn " + team_withdraw(team=item, actor=item.captain).status
        return register(item, game, f"Новые {item.pk}")

    outcomes = Counter(race(attempt, [*leaving, *newcomers]))

    assert not [tag for tag in outcomes if tag.startswith("error")], outcomes
    assert outcomes[f"withdrawn {TeamStatus.WITHDRAWN}"] == 20
    assert_counter_true(game)
    # 34 + 30 teams came, 20 left: 44 active; the 30 places are all taken.
    game.refresh_from_db()
    assert game.taken == 30
    assert Team.objects.filter(game=game, status=TeamStatus.WAITLISTED).count() == 14


def test_withdrawals_racing_registrations_with_places_to_spare(settings):
    use_dummy_tasks(settings)
    game = make_game(capacity=40)
    early = make_users(30)
    for user in early:
        register(user, game, f"Ранние {user.pk}")
    leaving = list(Team.objects.filter(game=game)[:25])
    newcomers = make_users(WORKERS - len(leaving))

    def attempt(item) -> str:
        if isinstance(item, Team):
            team_withdraw(team=item, actor=item.captain)
            return "withdrawn"
        return register(item, game, f"Новые {item.pk}")

    outcomes = Counter(race(attempt, [*leaving, *newcomers]))

    assert not [tag for tag in outcomes if tag.startswith("error")], outcomes
    assert_counter_true(game)
    game.refresh_from_db()
    assert game.taken == 30, "30 active teams, 40 places: everyone plays"
    assert not Team.objects.filter(game=game, status=TeamStatus.WAITLISTED).exists()
